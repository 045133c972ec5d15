// `as` binds tighter than `*` and looser than unary minus and `.`.
// call: T[t].Run(j: {"n": 4})
//   reply: 8
domain T {
  state { x: int = 0 }
  transition Run(j: json) {
    return 2 * j.n as int
  }
}
