// Invariants are checked after every slice: a later violating slice fails alone, earlier ones stay.
// call: T[t].Run()
//   trap: LX-INV
// state: T[t] = {"n": 1}
// cycle: T[t] = 2
domain T {
  state { n: int = 0 }
  invariant Small { n < 5 }
  transition Run() {
    slice a { n = 1 }
    slice b { n = 10 }
  }
}
