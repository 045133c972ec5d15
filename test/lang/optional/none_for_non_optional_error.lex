// `none` is only a value of optional types.
// error: LX0301 @ 6:9
domain T {
  state { x: int = 0 }
  transition Run() {
    x = none
  }
}
