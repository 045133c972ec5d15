// Parameters have no default values.
// error: LX0101 @ 3:13
fn f(a: int = 1) -> int { return a }
domain T {
  state { x: int = 0 }
}
