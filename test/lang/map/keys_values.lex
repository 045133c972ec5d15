// `keys` and `values` are lists in ascending key order.
// call: T[t].Run()
//   reply: [["a", "b"], ["2", "1"]]
type Out { k: list<string>, v: list<int> }
domain T {
  state { x: int = 0 }
  transition Run() {
    let m = {"b": 1, "a": 2}
    let o = Out { k: m.keys(), v: values(m) }
    return [o.k, to_s(o.v)]
  }
  fn to_s(xs: list<int>) -> list<string> { var out: list<string> = []; for x in xs { out.push("{x}") }; return out }
}
