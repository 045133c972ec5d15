// `Domain.Transition(…)` is not a call either.
// error: LX0217 @ 6:5
domain T {
  state { x: int = 0 }
  transition Run() {
    T.Reset()
  }
  transition Reset() { x = 0 }
}
