// A loop iterates over the collection's value at loop start: changing it inside has no effect on the loop.
// call: T[t].Run()
//   reply: {"seen": ["a", "b"], "m": {"a": 1, "b": 1, "c": 1}}
type Out { seen: list<string>, m: map<string, int> }
domain T {
  state { m: map<string, int> = {"a": 1, "b": 1} }
  transition Run() {
    var seen: list<string> = []
    for k, v in m {
      seen.push(k)
      m.insert("c", v)
      m.remove("b")
    }
    m.insert("b", 1)
    return Out { seen: seen, m: m }
  }
}
