// Columns count code points: the astral character before the error is one column.
// error: LX0301 @ 6:33
domain T {
  state { x: int = 0 }
  transition Run() {
    let s = "😀😀"; let _n: int = "x"
    return s
  }
}
