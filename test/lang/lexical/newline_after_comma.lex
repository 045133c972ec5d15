// A line ending with `,` continues on the next line.
// call: T[t].Run(n: 0)
//   trap: LX-ASSERT
//   message: n must be positive
domain T {
  state { x: int = 0 }
  transition Run(n: int) {
    assert n > 0,
      "n must be positive"
  }
}
