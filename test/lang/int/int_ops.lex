// Integer arithmetic: / truncates toward zero, % takes the dividend's sign.
// call: T[t].Run()
//   reply: [3, -3, 1, -1, 7]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [7 / 2, -7 / 2, 7 % 3, -7 % 3, 1 + 2 * 3]
  }
}
