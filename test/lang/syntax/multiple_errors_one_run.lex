// The parser recovers: one run reports every error in the file.
// error: LX0103 @ 9:13
// error: LX0101 @ 10:11
// error: LX0201 @ 11:9
// error: LX0105 @ 14:1
domain T {
  state { x: int = 0 }
  transition Run() {
    let a = *
    x = 1 2
    x = q
  }
}
oops
