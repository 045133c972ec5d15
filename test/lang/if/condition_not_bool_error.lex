// An `if` condition must be a bool (no truthiness).
// error: LX0312 @ 6:8
domain T {
  state { x: int = 0 }
  transition Run() {
    if x { x = 1 }
  }
}
