// `sum` of an int list (overflow traps) or a float list.
// call: T[t].Run()
//   reply: [6, 0, 1.5]
// call: T[t].Big()
//   trap: LX-OVERFLOW
domain T {
  state { x: int = 0 }
  transition Run() {
    let e: list<int> = []
    return [to_float(sum([1, 2, 3])), to_float(e.sum()), [1.0, 0.5].sum()]
  }
  transition Big() {
    return sum([9007199254740991, 1])
  }
}
