// `slice` is only for transitions.
// error: LX0108 @ 4:3
fn f() -> int {
  slice a { }
  return 1
}
domain T {
  state { x: int = 0 }
}
