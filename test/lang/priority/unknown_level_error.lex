// An unknown priority level is an error at the level's name.
// error: LX0604 @ 5:12
// error: LX0604 @ 7:13
domain T {
  priority urgent
  state { x: int = 0 }
  @priority(highest)
  transition A() { x = 1 }
}
