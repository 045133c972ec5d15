// `<` is not defined for bools.
// error: LX0316 @ 6:12
domain T {
  state { x: int = 0 }
  transition Run(a: bool) {
    return a < true
  }
}
