// A failed segment still commits one cycle (the state unchanged, the error as output).
// call: T[t].Run()
//   trap: LX-ASSERT
// cycle: T[t] = 1
// state: T[t] = {"x": 0}
domain T {
  state { x: int = 0 }
  transition Run() {
    slice a { x = 1; assert x == 2 }
    slice b { x = 3 }
  }
}
