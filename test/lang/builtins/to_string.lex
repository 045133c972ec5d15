// `to_string` of int, float, bool and string, as a function and a method.
// call: T[t].Run()
//   reply: ["1", "1.5", "true", "s", "2"]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [to_string(1), 1.5.to_string(), true.to_string(), to_string("s"), 2.to_string()]
  }
}
