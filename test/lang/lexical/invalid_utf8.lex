// Invalid UTF-8 in a source file is a diagnostic at the first bad byte.
// error: LX0007 @ 6:15
domain T {
  state { x: int = 0 }
  transition Run() {
    let s = "aÿþb"
  }
}
