// `{}` in a string is an empty interpolation (write `\{\}` for braces).
// error: LX0103 @ 6:15
domain T {
  state { x: int = 0 }
  transition Run() {
    return "a {} b"
  }
}
