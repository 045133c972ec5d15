// A top-level fn sees no state.
// error: LX0505 @ 4:10
fn peek() -> int {
  return count
}
domain T {
  state { count: int = 0 }
}
