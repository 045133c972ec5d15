// A domain `fn` cannot write state: the error points at the assignment target.
// error: LX0501 @ 7:5
domain T {
  state { x: int = 0 }
  transition Run() { bump() }
  fn bump() {
    x = x + 1
  }
}
