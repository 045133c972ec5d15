// LX-DIV0: integer division by zero.
// call: T[t].Run(d: 0)
//   trap: LX-DIV0 @ 6:35
domain T {
  state { x: int = 0 }
  transition Run(d: int) { return 1 / d }
}
