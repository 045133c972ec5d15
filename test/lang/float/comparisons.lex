// Float comparisons.
// call: T[t].Run(a: 0.1, b: 0.2)
//   reply: [true, false, true, false]
domain T {
  state { x: int = 0 }
  transition Run(a: float, b: float) {
    return [a < b, a >= b, a + b > 0.3, a + b == 0.3]
  }
}
