// Method syntax is only for built-ins.
// error: LX0218 @ 7:14
fn double(a: int) -> int { return a * 2 }
domain T {
  state { x: int = 0 }
  transition Run() {
    return x.double()
  }
}
