// `sort` needs an int, float or string list.
// error: LX0318 @ 7:5
domain T {
  state { x: int = 0 }
  transition Run() {
    var xs = [true, false]
    xs.sort()
  }
}
