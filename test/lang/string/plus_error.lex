// `+` does not join strings: the error points at the operator with a hint.
// error: LX0303 @ 7:14
//   message: use interpolation
domain T {
  state { x: int = 0 }
  transition Run(a: string) {
    return a + "!"
  }
}
