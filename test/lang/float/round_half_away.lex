// `round` rounds halves away from zero and returns a float.
// call: T[t].Run()
//   reply: [3, -3, 1, -1, 1, -2, 0]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [round(2.5), round(-2.5), round(0.5), round(-0.5), round(1.4), round(-1.6), round(0.49999999999999994)]
  }
}
