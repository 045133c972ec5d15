// A name starting with `_` is never reported as unused.
// call: T[t].Run()
//   reply: 0
domain T {
  state { x: int = 0 }
  transition Run() {
    let _ignored = 5
    return x
  }
}
