// Unary minus binds tighter than `*` and may be repeated.
// call: T[t].Run(a: 4)
//   reply: [-4, 4, -8, 0]
domain T {
  state { x: int = 0 }
  transition Run(a: int) {
    return [-a, - -a, -a * 2, -0]
  }
}
