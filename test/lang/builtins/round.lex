// `round` rounds halves away from zero, as a function and a method.
// call: T[t].Run()
//   reply: [3, -3]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [round(2.5), (-2.5).round()]
  }
}
