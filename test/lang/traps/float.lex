// LX-FLOAT: a float result that is NaN or infinite.
// call: T[t].Run(a: 0.0)
//   trap: LX-FLOAT @ 6:37
domain T {
  state { x: int = 0 }
  transition Run(a: float) { return 1.0 / a }
}
