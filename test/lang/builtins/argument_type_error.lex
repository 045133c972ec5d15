// A built-in called on a value of the wrong type.
// error: LX0301 @ 6:18
domain T {
  state { x: int = 0 }
  transition Run() {
    return upper(5)
  }
}
