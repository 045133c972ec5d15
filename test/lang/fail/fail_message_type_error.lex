// `fail` takes a string.
// error: LX0301 @ 6:10
domain T {
  state { x: int = 0 }
  transition Run() {
    fail 42
  }
}
