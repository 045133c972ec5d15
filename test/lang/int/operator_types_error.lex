// Arithmetic is only for numbers: `bool + int` is reported at the operator.
// error: LX0302 @ 6:17
domain T {
  state { x: int = 0 }
  transition Run() {
    return true + 1
  }
}
