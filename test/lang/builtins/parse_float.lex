// `parse_float` → `float?`, as a function and a method.
// call: T[t].Run()
//   reply: [1.25, null]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [parse_float("1.25"), "x".parse_float()]
  }
}
