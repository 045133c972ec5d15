// Only `@priority(…)` annotates transitions.
// error: LX0113 @ 5:4
domain T {
  state { x: int = 0 }
  @retry(3)
  transition A() { x = 1 }
}
