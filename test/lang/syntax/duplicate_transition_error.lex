// A transition declared twice in a domain is an error.
// error: LX0605 @ 6:14
domain T {
  state { x: int = 0 }
  transition Run() { x = 1 }
  transition Run() { x = 2 }
}
