// An unclosed `(` is reported at the opener with a note where the mismatch was found; later errors are still reported.
// error: LX0102 @ 8:12
//   note: @ 9:3 expected `)`
// error: LX0201 @ 10:28
domain T {
  state { x: int = 0 }
  transition Run() {
    x = max(1, 2
  }
  transition Other() { x = nope }
}
