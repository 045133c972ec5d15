// A `(` left open at the end of a line is reported once; the following lines parse normally.
// error: LX0102 @ 7:16
//   note: @ 8:5 expected `)` but found `let`
domain T {
  state { x: int = 0 }
  transition Run() {
    let a = max(1, 2
    let b = a + 1
    x = b
  }
}
