// `else` may start the line after the closing brace.
// call: T[t].Run(b: false)
//   reply: 2
domain T {
  state { x: int = 0 }
  transition Run(b: bool) {
    if b {
      return 1
    }
    else {
      return 2
    }
  }
}
