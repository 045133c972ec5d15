// `&&` needs bool operands; the bad operand is reported.
// error: LX0302 @ 6:20
domain T {
  state { x: int = 0 }
  transition Run(a: int) {
    return true && a
  }
}
