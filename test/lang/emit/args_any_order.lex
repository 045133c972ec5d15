// Effect arguments are named and may come in any order.
// call: T[t].Run()
// intent: {"effect": "Mail.send", "args": ["bob", "hi"]}
effect Mail.send(to: string, body: string) -> bool
domain T {
  state { x: int = 0 }
  transition Run() {
    emit Mail.send(body: "hi", to: "bob")
  }
}
