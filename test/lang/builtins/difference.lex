// `difference` keeps the elements of the first set not in the second.
// call: T[t].Run()
//   reply: [[1], []]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [difference({1, 2}, {2, 3}), {4}.difference({4})]
  }
}
