// Nested loops with independent loop variables.
// call: T[t].Run()
//   reply: ["00", "01", "10", "11"]
domain T {
  state { x: int = 0 }
  transition Run() {
    var out: list<string> = []
    for i in 0..2 {
      for j in 0..2 { out.push("{i}{j}") }
    }
    return out
  }
}
