// An interpolation `{` without its `}` is reported at the `{`.
// error: LX0009 @ 7:15
domain T {
  state { x: int = 0 }
  transition Run() {
    let y = 1
    return "a {y"
  }
}
