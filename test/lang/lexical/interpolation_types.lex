// int, float, bool and string interpolate (floats in shortest form).
// call: T[t].Run()
//   reply: "1 2.5 2 true s -3"
domain T {
  state { x: int = 0 }
  transition Run() {
    let f = 2.0
    return "{1} {2.5} {f} {true} {"s"} {-3}"
  }
}
