// `||` does not evaluate its right side when the left is true.
// call: T[t].Run(d: 0)
//   reply: true
domain T {
  state { x: int = 0 }
  transition Run(d: int) {
    return d == 0 || 10 / d > 1
  }
}
