// Only `@fuel(N)` annotates the program.
// error: LX0113 @ 3:2
@trace
domain T {
  state { x: int = 0 }
}
