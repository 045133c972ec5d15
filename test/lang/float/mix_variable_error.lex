// An int variable does not become a float: `float + int` is an error at the operator.
// error: LX0304 @ 8:14
//   message: mixes `float` and `int`
domain T {
  state { x: int = 0 }
  transition Run(a: float) {
    let n = 2
    return a + n
  }
}
