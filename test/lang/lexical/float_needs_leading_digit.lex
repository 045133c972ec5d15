// `.5` is not a float: a fraction needs digits on both sides of the `.`.
// error: LX0103 @ 6:15
domain T {
  state { x: float = 0.0 }
  transition Run() {
    x = 1.0 + .5
  }
}
