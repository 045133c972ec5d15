// `to_int` truncates; a float outside the int range traps LX-OVERFLOW.
// call: T[t].Run(a: -2.7)
//   reply: -2
// call: T[t].Run(a: 1e300)
//   trap: LX-OVERFLOW
domain T {
  state { x: int = 0 }
  transition Run(a: float) {
    return to_int(a)
  }
}
