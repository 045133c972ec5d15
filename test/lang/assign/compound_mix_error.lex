// `+=` does not mix int and float.
// error: LX0304 @ 7:10
domain T {
  state { x: int = 0 }
  transition Run() {
    let f = 1.5
    x += f
  }
}
