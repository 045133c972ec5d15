// A transition cannot call a transition: use `send`.
// error: LX0217 @ 7:5
//   message: send self.Reset
domain T {
  state { x: int = 0 }
  transition Run() {
    Reset()
  }
  transition Reset() { x = 0 }
}
