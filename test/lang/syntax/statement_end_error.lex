// Two statements on one line need a `;` between them.
// error: LX0101 @ 6:11
domain T {
  state { x: int = 0 }
  transition Run() {
    x = 1 x = 2
  }
}
