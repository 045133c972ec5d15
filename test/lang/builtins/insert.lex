// `insert` on a map (k, v), a set (x) and a list (i, x), as a function and a method.
// call: T[t].Run()
//   reply: {"m": {"a": 1, "b": 2}, "s": [1, 2], "l": [0, 1, 2]}
type Out { m: map<string, int>, s: set<int>, l: list<int> }
domain T {
  state { x: int = 0 }
  transition Run() {
    var m: map<string, int> = {}
    insert(m, "b", 2)
    m.insert("a", 1)
    var s: set<int> = {}
    insert(s, 2)
    s.insert(1)
    var l = [1]
    insert(l, 1, 2)
    l.insert(0, 0)
    return Out { m: m, s: s, l: l }
  }
}
