// A block still open at the end of the file is reported once, at the innermost `{`.
// error: LX0102 @ 6:20
//   note: the file ends before the matching `}`
domain T {
  state { x: int = 0 }
  transition Run() {
    x = 1
