// `state.f` is not visible in a top-level fn either.
// error: LX0505 @ 4:10
fn peek() -> int {
  return state.count
}
domain T {
  state { count: int = 0 }
}
