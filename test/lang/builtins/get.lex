// `get` on a list (index) or map (key) returns `T?`.
// call: T[t].Run()
//   reply: [20, null, 1, null]
domain T {
  state { x: int = 0 }
  transition Run() {
    let xs = [10, 20]
    let m = {"a": 1}
    return [get(xs, 1), xs.get(2), m.get("a"), get(m, "b")]
  }
}
