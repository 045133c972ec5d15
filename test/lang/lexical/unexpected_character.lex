// A character that starts no token is reported where it is.
// error: LX0001 @ 8:15
// error: LX0101 @ 8:17
//   message: found `2`
domain T {
  state { x: int = 0 }
  transition Run() {
    let a = 1 # 2
    return a
  }
}
