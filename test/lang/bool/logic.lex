// `&&`, `||` and `!` on bools; `&&` binds tighter than `||`.
// call: T[t].Run(a: true, b: false)
//   reply: [false, true, false, true, true]
domain T {
  state { x: int = 0 }
  transition Run(a: bool, b: bool) {
    return [a && b, a || b, !a, !b, b && a || a]
  }
}
