// `min`/`max` of two values, or of a list (→ `T?`).
// call: T[t].Run()
//   reply: ["1", "2", "1.5", "a", "b", "1", "3", null]
domain T {
  state { x: int = 0 }
  transition Run() {
    let e: list<int> = []
    return ["{min(1, 2)}", "{2.max(1)}", "{min(1.5, 2.5)}", min("b", "a"), "a".max("b"), "{[3, 1].min() ?? 0}", "{max([3, 1]) ?? 0}", opt(e.min())]
  }
  fn opt(v: int?) -> string? { if let x = v { return "{x}" }; return none }
}
