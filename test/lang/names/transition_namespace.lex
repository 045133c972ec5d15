// Transition names live in their own namespace: a state field and a fn may share a transition's name.
// call: T[t].count()
//   reply: 2
domain T {
  state { count: int = 1 }
  transition count() {
    state.count = double(count)
    return count
  }
  fn double(n: int) -> int { return n * 2 }
  transition double() { count = 0 }
}
