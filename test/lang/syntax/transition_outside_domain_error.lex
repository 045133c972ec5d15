// A transition must be declared inside a domain.
// error: LX0105 @ 3:1
transition Run() { }
domain T {
  state { x: int = 0 }
}
