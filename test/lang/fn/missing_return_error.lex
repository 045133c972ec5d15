// A fn with a result type must return on every path: reported at its closing brace.
// error: LX0406 @ 6:1
fn sign(n: int) -> int {
  if n > 0 { return 1 }
  if n < 0 { return -1 }
}
domain T {
  state { x: int = 0 }
}
