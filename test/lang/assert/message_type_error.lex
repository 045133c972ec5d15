// The `assert` message must be a string.
// error: LX0301 @ 6:19
domain T {
  state { x: int = 0 }
  transition Run() {
    assert x > 0, 5
  }
}
