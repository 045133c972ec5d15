// `insert`, `remove`, `has`/`contains` and `len` on a set.
// call: T[t].Run()
//   reply: {"s": ["a", "c"], "f": [true, false, true]}
type Out { s: set<string>, f: list<bool> }
domain T {
  state { s: set<string> = {} }
  transition Run() {
    s.insert("c")
    insert(s, "a")
    s.insert("b")
    s.remove("b")
    remove(s, "zz")
    s.insert("a")
    let o = Out { s: s, f: [s.has("a"), has(s, "b"), contains(s, "c") && len(s) == 2] }
    return o
  }
}
