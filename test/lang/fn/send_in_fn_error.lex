// `send` in a fn is an error.
// error: LX0502 @ 7:5
domain T {
  state { x: int = 0 }
  transition Run() { poke() }
  fn poke() {
    send self.Run()
  }
}
