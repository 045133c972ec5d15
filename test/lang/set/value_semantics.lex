// Changing a copy of a set never changes the original.
// call: T[t].Run()
//   reply: [[1], [1, 2]]
domain T {
  state { s: set<int> = {1} }
  transition Run() {
    var c = s
    c.insert(2)
    return [s, c]
  }
}
