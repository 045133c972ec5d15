// An unexpected token in a domain body is reported where it is; the next member still parses.
// error: LX0101 @ 6:3
// error: LX0301 @ 7:26
domain T {
  state { x: int = 0 }
  123
  transition Run() { x = "s" }
}
