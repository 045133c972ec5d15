// An expression is expected after `=`.
// error: LX0103 @ 6:13
domain T {
  state { x: int = 0 }
  transition Run() {
    let a = )
    x = 1
  }
}
