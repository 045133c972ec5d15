// Comparison operators on ints.
// call: T[t].Run(a: 2, b: 3)
//   reply: [true, true, false, false, false, true]
domain T {
  state { x: int = 0 }
  transition Run(a: int, b: int) {
    return [a < b, a <= b, a > b, a >= b, a == b, a != b]
  }
}
