// A duration is an `int` and mixes with int arithmetic.
// call: T[t].Run()
//   reply: 61000
domain T {
  state { x: int = 0 }
  transition Run() {
    let d: int = 1m + 1s
    return d
  }
}
