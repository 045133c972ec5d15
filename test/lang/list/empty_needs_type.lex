// `[]` needs an expected type.
// error: LX0308 @ 6:14
domain T {
  state { x: int = 0 }
  transition Run() {
    let xs = []
    return len(xs)
  }
}
