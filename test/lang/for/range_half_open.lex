// `for i in a..b` counts from a up to b−1; an empty or reversed range runs zero times.
// call: T[t].Run()
//   reply: [[0, 1, 2], [], [], [-2, -1]]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [collect(0, 3), collect(3, 3), collect(5, 2), collect(-2, 0)]
  }
  fn collect(a: int, b: int) -> list<int> {
    var out: list<int> = []
    for i in a..b { out.push(i) }
    return out
  }
}
