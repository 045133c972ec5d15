// Maps iterate in ascending key order (code points), never insertion order.
// call: T[t].Run()
//   reply: ["a=1", "b=3", "é=4", "😀=2"]
domain T {
  state { x: int = 0 }
  transition Run() {
    var m: map<string, int> = {}
    m.insert("😀", 2)
    m.insert("b", 3)
    m.insert("a", 1)
    m.insert("é", 4)
    var out: list<string> = []
    for k, v in m { out.push("{k}={v}") }
    return out
  }
}
