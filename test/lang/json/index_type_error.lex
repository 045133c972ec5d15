// json is indexed by an int or a string.
// error: LX0311 @ 6:14
domain T {
  state { x: int = 0 }
  transition Run(j: json) {
    return j[true] as int
  }
}
