// A mutating built-in on state inside a `fn` is a state write too.
// error: LX0501 @ 7:5
domain T {
  state { xs: list<int> = [] }
  transition Run() { add() }
  fn add() {
    xs.push(1)
  }
}
