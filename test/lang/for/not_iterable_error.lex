// Only lists, sets, maps and ranges can be iterated.
// error: LX0313 @ 6:14
domain T {
  state { x: int = 0 }
  transition Run() {
    for c in "abc" { x += 1 }
  }
}
