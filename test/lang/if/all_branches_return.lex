// When every branch returns, code after the `if` is unreachable.
// error: LX0403 @ 11:5
domain T {
  state { x: int = 0 }
  transition Run(b: bool) {
    if b {
      return 1
    } else {
      return 2
    }
    x = 3
  }
}
