// `assert c` may omit the message: the condition's source text is used.
// call: T[t].Run(n: 0)
//   trap: LX-ASSERT
//   message: assertion failed: n > 0 && n < 10
domain T {
  state { x: int = 0 }
  transition Run(n: int) {
    assert n > 0 && n < 10
  }
}
