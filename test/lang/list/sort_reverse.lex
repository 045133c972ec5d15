// `sort` sorts int, float and string lists ascending; `reverse` reverses.
// call: T[t].Run()
//   reply: {"a": [-1, 2, 3], "r": [3, 2, -1], "f": [0.5, 1.5], "s": ["a", "b"]}
type Out { a: list<int>, r: list<int>, f: list<float>, s: list<string> }
domain T {
  state { x: int = 0 }
  transition Run() {
    var a = [3, -1, 2]
    a.sort()
    var f = [1.5, 0.5]
    sort(f)
    var s = ["b", "a"]
    s.sort()
    var r = a
    r.reverse()
    return Out { a: a, r: r, f: f, s: s }
  }
}
