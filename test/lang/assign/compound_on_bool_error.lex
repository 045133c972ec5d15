// `+=` needs an int or float target.
// error: LX0302 @ 6:5
domain T {
  state { b: bool = false }
  transition Run() {
    b += true
  }
}
