// LX-FAIL: `fail` aborts the transition with the author's message.
// call: T[t].Run()
//   trap: LX-FAIL @ 7:22
//   message: nope
domain T {
  state { x: int = 0 }
  transition Run() { fail "nope" }
}
