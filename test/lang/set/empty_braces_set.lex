// `{}` is an empty set where a set is expected.
// call: T[t].Run()
//   reply: [0, 5]
type Out { n: int, s: set<int> }
domain T {
  state { s: set<int> = {} }
  transition Run() {
    let e: set<int> = {}
    s.insert(5)
    let o = Out { n: len(e), s: s }
    return [o.n, len(o.s) * 5]
  }
}
