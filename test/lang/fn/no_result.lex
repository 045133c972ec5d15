// A `fn` without a result type is called as a statement.
// call: T[t].Run()
//   reply: 0
fn check(n: int) {
  assert n >= 0
}
domain T {
  state { x: int = 0 }
  transition Run() {
    check(1)
    return x
  }
}
