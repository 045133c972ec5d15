// `round` takes a float: an int argument is reported with a hint.
// error: LX0301 @ 7:18
//   message: to_float
domain T {
  state { x: int = 0 }
  transition Run() {
    return round(x)
  }
}
