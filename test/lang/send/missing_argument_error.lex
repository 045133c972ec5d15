// Every transition argument is required.
// error: LX0211 @ 6:15
domain T {
  state { x: int = 0 }
  transition Run() {
    send self.Set()
  }
  transition Set(n: int) { x = n }
}
