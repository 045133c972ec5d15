// Sending to an unknown domain is an error at its name.
// error: LX0208 @ 6:10
domain T {
  state { x: int = 0 }
  transition Run() {
    send Nope["a"].Run()
  }
}
