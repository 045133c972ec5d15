// Every state field needs a default.
// error: LX0101 @ 4:18
domain T {
  state { x: int }
}
