// Code after `return` is unreachable (reported once, at the first such statement).
// error: LX0403 @ 7:5
domain T {
  state { x: int = 0 }
  transition Run() {
    return 1
    x = 2
    x = 3
  }
}
