// `pop` on a list inside a map changes that list only and returns its last element.
// call: T[t].Run()
//   reply: [2, 1]
domain T {
  state { m: map<string, list<int>> = {"a": [1, 2], "b": [5]} }
  transition Run() {
    let got = m["a"].pop() ?? 0
    return [got, len(m["a"])]
  }
}
