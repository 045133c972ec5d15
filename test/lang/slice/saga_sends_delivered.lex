// A send from a committed slice is delivered even when a later slice fails.
// call: T[t].Run()
//   trap: LX-FAIL
// state: Log[l] = {"n": 1}
domain T {
  state { x: int = 0 }
  transition Run() {
    slice a { send Log["l"].Add() }
    slice b { send Log["l"].Add(); fail "b" }
  }
}
domain Log {
  state { n: int = 0 }
  transition Add() { n += 1 }
}
