// `state.f` must name a state field.
// error: LX0204 @ 6:18
domain T {
  state { count: int = 1 }
  transition Run() {
    return state.cnt
  }
}
