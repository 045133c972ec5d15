// `fn` arguments are positional.
// error: LX0115 @ 7:19
fn add(a: int, b: int) -> int { return a + b }
domain T {
  state { x: int = 0 }
  transition Run() {
    return add(1, b: 2)
  }
}
