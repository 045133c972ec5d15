// `after` needs an int duration.
// error: LX0507 @ 6:27
domain T {
  state { x: int = 0 }
  transition Run() {
    send self.Run() after "soon"
  }
}
