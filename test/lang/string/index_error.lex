// Strings cannot be indexed with `[]` (use slice).
// error: LX0311 @ 7:12
//   message: use slice
domain T {
  state { x: int = 0 }
  transition Run(s: string) {
    return s[0]
  }
}
