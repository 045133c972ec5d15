// `random()` and `uuid()` are for transitions only.
// error: LX0502 @ 5:12
// error: LX0502 @ 6:10
fn pick() -> float {
  let _u = uuid()
  return random()
}
domain T {
  state { x: int = 0 }
}
