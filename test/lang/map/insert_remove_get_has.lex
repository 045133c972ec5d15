// `insert`, `remove`, `get` and `has` on a map.
// call: T[t].Run()
//   reply: [1, null, 2, null, 1]
domain T {
  state { m: map<string, int> = {} }
  transition Run() {
    m.insert("a", 1)
    insert(m, "b", 2)
    m.insert("a", 5)
    m.remove("a")
    remove(m, "zz")
    return [to_i(m.has("b")), to_i(has(m, "a")), m.get("b"), get(m, "a"), len(m)]
  }
  fn to_i(b: bool) -> int? { if b { return 1 }; return none }
}
