// A mutating built-in on a value that is not a place (a literal) is an error.
// error: LX0405 @ 6:5
domain T {
  state { x: int = 0 }
  transition Run() {
    [1, 2].reverse()
  }
}
