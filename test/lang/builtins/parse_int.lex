// `parse_int` → `int?`, as a function and a method.
// call: T[t].Run()
//   reply: [12, null]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [parse_int("12"), "1x".parse_int()]
  }
}
