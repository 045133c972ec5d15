// A type is expected after `:`.
// error: LX0104 @ 6:12
domain T {
  state { x: int = 0 }
  transition Run() {
    let a: 5 = 5
  }
}
