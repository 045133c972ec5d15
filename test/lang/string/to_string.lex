// `to_string` of int, float, bool and string.
// call: T[t].Run()
//   reply: ["-12", "0.5", "false", "s", "7"]
domain T {
  state { x: int = 0 }
  transition Run() {
    let n = 7
    return [to_string(-12), to_string(0.5), to_string(false), to_string("s"), n.to_string()]
  }
}
