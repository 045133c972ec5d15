// `for x in set` visits elements in ascending order.
// call: T[t].Run()
//   reply: [-3, 1, 7]
domain T {
  state { x: int = 0 }
  transition Run() {
    var out: list<int> = []
    for v in {7, -3, 1} { out.push(v) }
    return out
  }
}
