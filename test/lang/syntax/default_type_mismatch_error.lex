// A state default must have the field's type (found by a multi-file test: it was not checked).
// error: LX0301 @ 6:20
//   message: the default of `a`
// error: LX0317 @ 7:27
domain T {
  state { a: int = "zero"
          b: list<int> = ["x"] }
}
