// `for k, v in map` visits entries in ascending key order.
// call: T[t].Run()
//   reply: "a1 b2 c3"
domain T {
  state { x: int = 0 }
  transition Run() {
    var out: list<string> = []
    for k, v in {"c": 3, "a": 1, "b": 2} { out.push("{k}{v}") }
    return out.join(" ")
  }
}
