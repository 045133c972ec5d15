// A bare `return` in a fn with a result type is an error.
// error: LX0406 @ 4:10
fn f(b: bool) -> int {
  if b { return }
  return 1
}
domain T {
  state { x: int = 0 }
}
