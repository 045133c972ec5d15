// Returning a value from a fn without a result type is an error.
// error: LX0407 @ 4:10
fn f() {
  return 1
}
domain T {
  state { x: int = 0 }
}
