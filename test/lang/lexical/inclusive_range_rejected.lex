// Ranges are half-open: `..=` is rejected with a hint.
// error: LX0001 @ 6:15
domain T {
  state { x: int = 0 }
  transition Run() {
    for i in 0..=3 { x += i }
  }
}
