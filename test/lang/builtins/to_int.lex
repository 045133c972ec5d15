// `to_int` truncates a float toward zero.
// call: T[t].Run()
//   reply: [2, -2]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [to_int(2.9), (-2.9).to_int()]
  }
}
