// A parameter or local shadows a state field of the same name; `state.f` always names the field.
// call: T[t].Run(count: 5)
//   reply: [5, 1]
// state: T[t] = {"count": 6}
domain T {
  state { count: int = 1 }
  transition Run(count: int) {
    let before = state.count
    state.count = count + before
    return [count, before]
  }
}
