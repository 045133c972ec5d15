// Integer literals next to a float make a float list (an integer literal may be a float).
// call: T[t].Run()
//   reply: [0.5, 1.25, -1.5]
domain T {
  state { x: int = 0 }
  transition Run() {
    let xs = [1, 2.5, -3]
    return [xs[0] / 2.0, xs[1] / 2.0, xs[2] / 2.0]
  }
}
