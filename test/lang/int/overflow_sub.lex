// Integer subtraction below −(2^53−1) traps LX-OVERFLOW.
// call: T[t].Run(a: -9007199254740991)
//   trap: LX-OVERFLOW
domain T {
  state { x: int = 0 }
  transition Run(a: int) {
    return a - 1
  }
}
