// `union` of two sets.
// call: T[t].Run()
//   reply: [3, 2]
type Out { i: set<int>, s: set<string> }
domain T {
  state { x: int = 0 }
  transition Run() {
    let o = Out { i: union({1, 2}, {3, 2}), s: {"b"}.union({"a"}) }
    return [len(o.i), len(o.s)]
  }
}
