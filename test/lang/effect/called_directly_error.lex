// An effect is not a function: it is used with `emit` or `await`.
// error: LX0110 @ 7:5
effect Mail.send(to: string) -> bool
domain T {
  state { x: int = 0 }
  transition Run() {
    Mail.send(to: "a")
  }
}
