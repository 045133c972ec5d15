// A false `assert c, msg` fails the transition with LX-ASSERT and msg.
// call: T[t].Run(n: 0)
//   trap: LX-ASSERT @ 10:5
//   message: n must be positive, got 0
// call: T[t].Run(n: 1)
//   reply: 1
domain T {
  state { x: int = 0 }
  transition Run(n: int) {
    assert n > 0, "n must be positive, got {n}"
    return n
  }
}
