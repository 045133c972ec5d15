// Elsewhere a newline ends a statement: `-1` on its own line is a new (useless) statement.
// error: LX0409 @ 7:5
domain T {
  state { x: int = 0 }
  transition Run() {
    x = 1
    -1
  }
}
