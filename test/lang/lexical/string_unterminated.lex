// A string that reaches the end of its line is reported at its opening quote.
// error: LX0002 @ 6:13
domain T {
  state { x: int = 0 }
  transition Run() {
    let s = "never closed
    return s
  }
}
