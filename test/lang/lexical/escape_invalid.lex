// An unknown escape is reported at its backslash.
// error: LX0003 @ 6:15
domain T {
  state { x: int = 0 }
  transition Run() {
    return "ab\qc"
  }
}
