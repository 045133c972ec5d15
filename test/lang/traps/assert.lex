// LX-ASSERT: a false assertion aborts the transition.
// call: T[t].Run()
//   trap: LX-ASSERT @ 6:22
domain T {
  state { x: int = 0 }
  transition Run() { assert x == 1 }
}
