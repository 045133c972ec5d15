// Float arithmetic is IEEE-754 double arithmetic.
// call: T[t].Run(a: 1.5, b: 0.25)
//   reply: [1.75, 1.25, 0.375, 6, 0]
domain T {
  state { x: int = 0 }
  transition Run(a: float, b: float) {
    return [a + b, a - b, a * b, a / b, a % b]
  }
}
