// Float division by zero would give ±Inf: it traps LX-FLOAT.
// call: T[t].Run(b: 0.0)
//   trap: LX-FLOAT @ 8:12
//   message: division by zero
domain T {
  state { x: int = 0 }
  transition Run(b: float) {
    return 1.0 / b
  }
}
