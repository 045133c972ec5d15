// A transition may declare its reply type with `-> T`.
// call: T[t].Run()
//   reply: [1, 2]
domain T {
  state { x: int = 0 }
  transition Run() -> list<int> {
    return [1, 2]
  }
}
