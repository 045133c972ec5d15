// An argument given twice is an error at the second label.
// error: LX0213 @ 7:29
effect Mail.send(to: string) -> bool
domain T {
  state { x: int = 0 }
  transition Run() {
    emit Mail.send(to: "a", to: "b")
  }
}
