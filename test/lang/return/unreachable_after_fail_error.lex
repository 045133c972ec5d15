// Code after `fail` is unreachable.
// error: LX0403 @ 7:5
domain T {
  state { x: int = 0 }
  transition Run() {
    fail "no"
    x = 2
  }
}
