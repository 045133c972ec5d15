// `%` by zero traps LX-DIV0.
// call: T[t].Run(d: 0)
//   trap: LX-DIV0 @ 7:12
domain T {
  state { x: int = 0 }
  transition Run(d: int) {
    return 10 % d
  }
}
