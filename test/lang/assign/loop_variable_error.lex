// A loop variable cannot be assigned.
// error: LX0410 @ 7:7
domain T {
  state { x: int = 0 }
  transition Run() {
    for i in 0..3 {
      i = 5
    }
  }
}
