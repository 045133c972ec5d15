// `ceil` rounds toward +∞ and returns a float.
// call: T[t].Run()
//   reply: [-1, 2]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [ceil(-1.5), 1.1.ceil()]
  }
}
