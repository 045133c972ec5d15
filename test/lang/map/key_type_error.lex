// Map keys must be int or string.
// error: LX0309 @ 4:18
domain T {
  state { m: map<float, int> = {} }
  transition Run() {
  }
}
