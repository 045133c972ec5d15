// `random_int(lo, hi)` is inclusive and deterministic.
// call: T[t].Run()
//   reply: [3, 5, 4, 3, 2, 1, 5, 5]
domain T {
  state { x: int = 0 }
  transition Run() {
    var out: list<int> = []
    for i in 0..8 { out.push(random_int(1, 6)) }
    return out
  }
}
