// State defaults must be constant expressions: a call or another field is not.
// error: LX0601 @ 7:14
// error: LX0601 @ 8:14
fn seven() -> int { return 7 }
domain T {
  state {
    a: int = seven()
    b: int = a + 1
  }
}
