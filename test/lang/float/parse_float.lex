// `parse_float` accepts decimal literals only; anything else (or out of range) is none.
// call: T[t].Run()
//   reply: [1.5, 1000, -0.25, null, null, null, null, 3]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [parse_float("1.5"), parse_float("1e3"), parse_float("-0.25"), parse_float(".5"), parse_float("1."), parse_float("abc"), parse_float("1e400"), "3".parse_float()]
  }
}
