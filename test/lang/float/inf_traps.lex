// A product past the largest double would be Inf: it traps LX-FLOAT.
// call: T[t].Run(a: 1e308)
//   trap: LX-FLOAT
domain T {
  state { x: int = 0 }
  transition Run(a: float) {
    return a * 10.0
  }
}
