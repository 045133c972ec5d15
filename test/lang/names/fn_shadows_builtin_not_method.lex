// A top-level fn named like a built-in shadows it in call syntax; method syntax still means the built-in.
// call: T[t].Run()
//   reply: [100, 3]
fn len(xs: list<int>) -> int { return 100 }
domain T {
  state { x: int = 0 }
  transition Run() {
    let xs = [1, 2, 3]
    return [len(xs), xs.len()]
  }
}
