// A parameter declared twice is an error.
// error: LX0215 @ 3:14
fn f(a: int, a: int) -> int { return a }
domain T {
  state { x: int = 0 }
}
