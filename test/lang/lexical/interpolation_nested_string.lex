// An interpolation may hold string literals (with their own interpolations).
// call: T[t].Run()
//   reply: "<a-b> <x1y>"
domain T {
  state { x: int = 0 }
  transition Run() {
    let n = 1
    return "<{join(["a", "b"], "-")}> <{"x{n}y"}>"
  }
}
