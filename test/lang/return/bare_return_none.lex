// A bare `return` replies none.
// call: T[t].Run(stop: true)
//   reply: null
// state: T[t] = {"x": 0}
domain T {
  state { x: int = 0 }
  transition Run(stop: bool) {
    if stop { return }
    x = 1
  }
}
