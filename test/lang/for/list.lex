// `for x in list` visits elements in order.
// call: T[t].Run()
//   reply: "a,b,c"
domain T {
  state { x: int = 0 }
  transition Run() {
    var out: list<string> = []
    for s in ["a", "b", "c"] { out.push(s) }
    return out.join(",")
  }
}
