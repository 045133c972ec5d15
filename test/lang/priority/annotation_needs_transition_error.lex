// `@priority(…)` must be followed by a transition.
// error: LX0113 @ 5:3
domain T {
  @priority(high)
  state { x: int = 0 }
  transition A() { x = 1 }
}
