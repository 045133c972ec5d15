// List elements must have one type; the first odd one out is reported.
// error: LX0317 @ 6:16
domain T {
  state { x: int = 0 }
  transition Run() {
    return [1, "a"]
  }
}
