// A domain declares its priority once.
// error: LX0605 @ 5:3
domain T {
  priority high
  priority low
  state { x: int = 0 }
}
