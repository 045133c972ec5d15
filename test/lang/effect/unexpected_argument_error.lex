// An argument the effect does not take is an error at its label.
// error: LX0212 @ 7:29
effect Mail.send(to: string) -> bool
domain T {
  state { x: int = 0 }
  transition Run() {
    emit Mail.send(to: "a", cc: "b")
  }
}
