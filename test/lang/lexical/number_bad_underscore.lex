// `_` must separate digits: doubled or trailing underscores are malformed.
// error: LX0004 @ 7:13
// error: LX0004 @ 8:13
domain T {
  state { x: int = 0 }
  transition Run() {
    let a = 1__0
    let b = 10_
    return a + b
  }
}
