// Parameters are immutable.
// error: LX0404 @ 6:5
domain T {
  state { x: int = 0 }
  transition Run(n: int) {
    n += 1
    x = n
  }
}
