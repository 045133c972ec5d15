// `slice(xs, a, b)` on lists and strings: half-open, clamped; as a function and a method.
// call: T[t].Run()
//   reply: ["2", "1", "bc", "c"]
type Out { a: list<int>, b: list<int> }
domain T {
  state { x: int = 0 }
  transition Run() {
    let xs = [1, 2, 3]
    let o = Out { a: slice(xs, 1, 5), b: xs.slice(-1, 1) }
    return [to_s(o.a), to_s(o.b), slice("abc", 1, 3), "abc".slice(2, 3)]
  }
  fn to_s(xs: list<int>) -> string { return join(split("{len(xs)}", ""), "") }
}
