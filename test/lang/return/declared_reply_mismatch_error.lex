// A return value that does not match the declared reply type is an error.
// error: LX0301 @ 6:12
domain T {
  state { x: int = 0 }
  transition Run() -> int {
    return "s"
  }
}
