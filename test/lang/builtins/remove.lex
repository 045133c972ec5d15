// `remove` on a map (key), a set (element) and a list (index), as a function and a method.
// call: T[t].Run()
//   reply: {"m": {"b": 2}, "s": [2], "l": [2]}
type Out { m: map<string, int>, s: set<int>, l: list<int> }
domain T {
  state { x: int = 0 }
  transition Run() {
    var m = {"a": 1, "b": 2}
    remove(m, "a")
    m.remove("zz")
    var s = {1, 2, 3}
    remove(s, 1)
    s.remove(3)
    var l = [1, 2, 3]
    remove(l, 0)
    l.remove(1)
    return Out { m: m, s: s, l: l }
  }
}
