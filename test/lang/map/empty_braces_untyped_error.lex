// `{}` with no expected type is an error.
// error: LX0308 @ 6:13
domain T {
  state { x: int = 0 }
  transition Run() {
    let m = {}
    return len(m)
  }
}
