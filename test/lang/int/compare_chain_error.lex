// Comparisons are non-associative: `a < b < c` is an error at the second operator.
// error: LX0106 @ 6:18
domain T {
  state { x: int = 0 }
  transition Run(a: int) {
    return 1 < a < 3
  }
}
