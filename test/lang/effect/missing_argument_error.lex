// Every effect argument is required; missing ones are named.
// error: LX0211 @ 8:10
//   message: `body`
effect Mail.send(to: string, body: string) -> bool
domain T {
  state { x: int = 0 }
  transition Run() {
    emit Mail.send(to: "a")
  }
}
