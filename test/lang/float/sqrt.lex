// `sqrt` is correctly rounded; the square root of a negative number traps LX-FLOAT.
// call: T[t].Run(a: 2.0)
//   reply: 1.4142135623730951
// call: T[t].Run(a: -1.0)
//   trap: LX-FLOAT
domain T {
  state { x: int = 0 }
  transition Run(a: float) {
    return sqrt(a)
  }
}
