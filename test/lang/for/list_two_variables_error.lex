// A list loop has one loop variable.
// error: LX0313 @ 6:12
domain T {
  state { x: int = 0 }
  transition Run() {
    for i, v in [1, 2] { x += v }
  }
}
