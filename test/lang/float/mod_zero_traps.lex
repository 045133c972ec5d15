// `%` by 0.0 would be NaN: it traps LX-FLOAT.
// call: T[t].Run(b: 0.0)
//   trap: LX-FLOAT
domain T {
  state { x: int = 0 }
  transition Run(b: float) {
    return 5.0 % b
  }
}
