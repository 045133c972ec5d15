// `@priority(level)` on a transition sets its messages' priority; all five levels are accepted.
// call: T[t].A()
//   reply: 1
domain T {
  priority low
  state { x: int = 0 }
  @priority(critical)
  transition A() { return 1 }
  @priority(high) transition B() { x = 2 }
  @priority(normal)
  transition C() { x = 3 }
  @priority(low)
  transition D() { x = 4 }
  @priority(background)
  transition E() { x = 5 }
}
