// Sending to an unknown transition is an error at its name (with a suggestion).
// error: LX0209 @ 7:15
//   message: did you mean `Reset`
domain T {
  state { x: int = 0 }
  transition Run() {
    send self.Rest()
  }
  transition Reset() { x = 0 }
}
