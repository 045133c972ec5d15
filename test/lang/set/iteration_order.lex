// Sets iterate in ascending order, never insertion order.
// call: T[t].Run()
//   reply: "a,b,z,é"
domain T {
  state { x: int = 0 }
  transition Run() {
    var s: set<string> = {}
    for x in ["z", "é", "a", "b"] { s.insert(x) }
    var out: list<string> = []
    for x in s { out.push(x) }
    return out.join(",")
  }
}
