// An unknown method name is an unknown function.
// error: LX0207 @ 6:14
domain T {
  state { x: int = 0 }
  transition Run() {
    return x.frobnicate()
  }
}
