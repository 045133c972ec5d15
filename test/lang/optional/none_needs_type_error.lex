// `none` without an expected type is an error.
// error: LX0307 @ 6:13
domain T {
  state { x: int = 0 }
  transition Run() {
    let n = none
    assert n == none
  }
}
