// Changing a field of a copy leaves the original alone.
// call: T[t].Run()
//   reply: [{"a": 1}, {"a": 2}]
type P { a: int }
domain T {
  state { x: int = 0 }
  transition Run() {
    let p = P { a: 1 }
    var q = p
    q.a = 2
    return [p, q]
  }
}
