// `&&` does not evaluate its right side when the left is false.
// call: T[t].Run(d: 0)
//   reply: false
domain T {
  state { x: int = 0 }
  transition Run(d: int) {
    return d != 0 && 10 / d > 1
  }
}
