// Integer multiplication past 2^53−1 traps LX-OVERFLOW; just below the limit is fine.
// call: T[t].Run(a: 3002399751580330)
//   reply: 9007199254740990
// call: T[t].Run(a: 3002399751580331)
//   trap: LX-OVERFLOW
domain T {
  state { x: int = 0 }
  transition Run(a: int) {
    return a * 3
  }
}
