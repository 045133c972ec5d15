// `j.f` and `j[i]` on json give json; cast the leaf.
// call: T[t].Run(j: {"a": {"b": [10, 20]}})
//   reply: 20
domain T {
  state { x: int = 0 }
  transition Run(j: json) {
    return j.a.b[1] as int
  }
}
