// An instance id is a string.
// error: LX0301 @ 6:12
domain T {
  state { x: int = 0 }
  transition Run() {
    send T[42].Run()
  }
}
