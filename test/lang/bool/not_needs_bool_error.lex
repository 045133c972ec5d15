// `!` needs a bool operand.
// error: LX0302 @ 6:12
domain T {
  state { x: int = 0 }
  transition Run(a: int) {
    return !a
  }
}
