// Map keys must share one type.
// error: LX0317 @ 6:25
domain T {
  state { x: int = 0 }
  transition Run() {
    return len({"a": 1, 2: 3})
  }
}
