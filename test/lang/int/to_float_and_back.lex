// `to_float` converts int to float; `to_int` truncates toward zero.
// call: T[t].Run(a: 7)
//   reply: [3.5, 3, -3]
domain T {
  state { x: int = 0 }
  transition Run(a: int) {
    let f = to_float(a) / 2.0
    return [f, to_float(to_int(f)), to_float(to_int(-f))]
  }
}
