// `fail "msg"` aborts the transition with LX-FAIL and that message.
// call: T[t].Run(n: 3)
//   trap: LX-FAIL @ 8:5
//   message: too many: 3
domain T {
  state { x: int = 0 }
  transition Run(n: int) {
    fail "too many: {n}"
  }
}
