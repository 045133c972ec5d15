// A state field declared twice is an error.
// error: LX0605 @ 6:5
domain T {
  state {
    x: int = 0
    x: int = 1
  }
}
