// Integer addition past 2^53−1 traps LX-OVERFLOW at the operator's expression.
// call: T[t].Run(a: 9007199254740991)
//   trap: LX-OVERFLOW @ 7:12
domain T {
  state { x: int = 0 }
  transition Run(a: int) {
    return a + 1
  }
}
