// `now()` in a fn is impure: the error points at the call.
// error: LX0502 @ 4:10
fn stamp() -> int {
  return now() + 1
}
domain T {
  state { x: int = 0 }
}
