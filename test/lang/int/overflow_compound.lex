// `+=` checks overflow like `+`; the failed transition leaves the state unchanged.
// call: T[t].Run()
//   trap: LX-OVERFLOW
// state: T[t] = {"x": 9007199254740990}
domain T {
  state { x: int = 9007199254740990 }
  transition Run() {
    x += 2
  }
}
