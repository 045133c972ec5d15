// A lone `}` in a string must be escaped as `\}`.
// error: LX0003 @ 6:15
domain T {
  state { x: int = 0 }
  transition Run() {
    return "a } b"
  }
}
