// `T??` (an optional of an optional) is an error.
// error: LX0306 @ 4:14
domain T {
  state { o: int?? = none }
  transition Run() {
  }
}
