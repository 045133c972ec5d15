// `to_float` converts an int to a float.
// call: T[t].Run(n: 3)
//   reply: [1.5, 3]
domain T {
  state { x: int = 0 }
  transition Run(n: int) {
    return [to_float(n) / 2.0, n.to_float()]
  }
}
