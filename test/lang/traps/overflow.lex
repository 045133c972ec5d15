// LX-OVERFLOW: an int result outside ±(2^53−1).
// call: T[t].Run(a: 4503599627370496)
//   trap: LX-OVERFLOW @ 6:35
domain T {
  state { x: int = 0 }
  transition Run(a: int) { return a * 2 }
}
