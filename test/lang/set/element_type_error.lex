// Set elements must be int or string.
// error: LX0309 @ 4:18
domain T {
  state { s: set<bool> = {} }
  transition Run() {
  }
}
