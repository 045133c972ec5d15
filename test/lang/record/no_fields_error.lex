// Reading `.f` of a value that has no fields (an int) is an error.
// error: LX0315 @ 6:14
domain T {
  state { x: int = 0 }
  transition Run() {
    return x.f
  }
}
