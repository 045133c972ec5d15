// `for k in map` visits the keys only.
// call: T[t].Run()
//   reply: "ab"
domain T {
  state { x: int = 0 }
  transition Run() {
    var out = ""
    for k in {"b": 1, "a": 2} { out = "{out}{k}" }
    return out
  }
}
