// Maps are equal when they hold the same entries (insertion order does not matter).
// call: T[t].Run()
//   reply: [true, false]
domain T {
  state { x: int = 0 }
  transition Run() {
    var a: map<string, int> = {}
    a.insert("x", 1)
    a.insert("y", 2)
    return [a == {"y": 2, "x": 1}, a == {"x": 1}]
  }
}
