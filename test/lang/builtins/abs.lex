// `abs` of an int or a float.
// call: T[t].Run()
//   reply: [5, 2.5, 3]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [to_float(abs(-5)), abs(-2.5), to_float((-3).abs())]
  }
}
