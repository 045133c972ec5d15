// `sum`, and `min`/`max` of a list (→ `T?`, none when empty).
// call: T[t].Run()
//   reply: ["6", "1", "3", null, "a", "c"]
domain T {
  state { x: int = 0 }
  transition Run() {
    let xs = [2, 1, 3]
    let e: list<int> = []
    let ss = ["b", "a", "c"]
    return [to_s(sum(xs)), to_s(xs.min() ?? 0), to_s(max(xs) ?? 0), opt_s(e.max()), min(ss) ?? "", ss.max() ?? ""]
  }
  fn to_s(n: int) -> string { return "{n}" }
  fn opt_s(n: int?) -> string? { if let v = n { return "{v}" }; return none }
}
