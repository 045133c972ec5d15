// `var` bindings can be reassigned and updated.
// call: T[t].Run()
//   reply: 10
domain T {
  state { x: int = 0 }
  transition Run() {
    var a = 1
    a = 4
    a += 6
    return a
  }
}
