// Transition arguments must be named.
// error: LX0114 @ 6:19
domain T {
  state { x: int = 0 }
  transition Run() {
    send self.Set(5)
  }
  transition Set(n: int) { x = n }
}
