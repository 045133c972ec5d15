// int and float do not mix implicitly.
// error: LX0304 @ 6:13
domain T {
  state { x: float = 0.0 }
  transition Run(n: int) {
    x = 1.5 + n
  }
}
