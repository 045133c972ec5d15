// All `return` values of a transition must share one type.
// error: LX0319 @ 7:12
domain T {
  state { x: int = 0 }
  transition Run(b: bool) {
    if b { return 1 }
    return "one"
  }
}
