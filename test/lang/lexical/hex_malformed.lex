// `0x` needs at least one hexadecimal digit.
// error: LX0004 @ 6:13
domain T {
  state { x: int = 0 }
  transition Run() {
    let h = 0x
    return h
  }
}
