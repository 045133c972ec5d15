// Durations are integers: `1.5s` is an error (write `1_500ms`).
// error: LX0004 @ 6:13
domain T {
  state { x: int = 0 }
  transition Run() {
    let d = 1.5s
    return d
  }
}
