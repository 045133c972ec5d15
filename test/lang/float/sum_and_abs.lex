// `sum` adds a float list left to right; `abs` of a float.
// call: T[t].Run()
//   reply: [6.5, 2.5, 0]
domain T {
  state { x: int = 0 }
  transition Run() {
    let xs: list<float> = []
    return [sum([1.5, 2.0, 3.0]), abs(-2.5), xs.sum()]
  }
}
