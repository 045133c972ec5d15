// A set literal of floats is an error at its first element.
// error: LX0309 @ 6:17
domain T {
  state { x: int = 0 }
  transition Run() {
    return len({1.5, 2.5})
  }
}
