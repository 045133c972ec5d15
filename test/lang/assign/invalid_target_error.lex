// Only variables, state fields and paths from them can be assigned.
// error: LX0107 @ 6:5
domain T {
  state { x: int = 0 }
  transition Run() {
    f() = 3
  }
  fn f() -> int { return 1 }
}
