// A mutating built-in on a nested place changes that place only.
// call: T[t].Run()
//   reply: {"a": [1, 2], "b": [3]}
domain T {
  state { m: map<string, list<int>> = {"a": [1], "b": [3]} }
  transition Run() {
    m["a"].push(2)
    return m
  }
}
