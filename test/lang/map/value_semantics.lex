// Copies of a map are independent values.
// call: T[t].Run()
//   reply: [{"a": 1}, {"a": 1, "b": 2}]
domain T {
  state { x: int = 0 }
  transition Run() {
    let a = {"a": 1}
    var b = a
    b["b"] = 2
    return [a, b]
  }
}
