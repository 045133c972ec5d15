// An unclosed `[` is reported at the opener; the next statement still parses.
// error: LX0102 @ 8:15
//   note: expected `]`
// error: LX0301 @ 9:9
domain T {
  state { x: int = 0 }
  transition Run() {
    let _xs = [1, 2
    x = "s"
  }
}
