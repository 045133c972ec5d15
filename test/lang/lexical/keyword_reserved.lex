// Keywords are reserved: one cannot name a variable `match`.
// error: LX0216 @ 6:9
domain T {
  state { x: int = 0 }
  transition Run() {
    let match = 1
  }
}
