// `+=` on a string is an error too.
// error: LX0303 @ 6:5
domain T {
  state { s: string = "" }
  transition Run(a: string) {
    s += a
  }
}
