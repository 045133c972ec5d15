// A built-in called with the wrong number of arguments.
// error: LX0214 @ 6:12
domain T {
  state { x: int = 0 }
  transition Run() {
    return len([1], [2])
  }
}
