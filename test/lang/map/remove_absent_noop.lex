// Removing an absent key is a no-op.
// call: T[t].Run()
//   reply: {"a": 1}
domain T {
  state { x: int = 0 }
  transition Run() {
    var m = {"a": 1}
    m.remove("b")
    return m
  }
}
