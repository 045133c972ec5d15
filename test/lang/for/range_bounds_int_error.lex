// Range bounds must be ints.
// error: LX0301 @ 6:17
domain T {
  state { x: int = 0 }
  transition Run() {
    for i in 0..1.5 { x += i }
  }
}
