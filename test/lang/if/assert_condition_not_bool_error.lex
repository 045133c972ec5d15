// `assert` needs a bool condition too.
// error: LX0312 @ 6:12
domain T {
  state { x: int = 0 }
  transition Run() {
    assert x, "x"
  }
}
