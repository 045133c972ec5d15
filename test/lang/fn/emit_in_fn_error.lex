// Effects happen only in transitions: `emit` in a fn is an error.
// error: LX0502 @ 7:5
domain T {
  state { x: int = 0 }
  transition Run() { note() }
  fn note() {
    emit Log.write(message: "m")
  }
}
