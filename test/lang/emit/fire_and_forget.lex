// `emit` records an effect intent and does not wait: the transition ends in one cycle.
// call: T[t].Run()
//   reply: "sent"
// intents: 1
// intent: {"domain": "T", "instance": "t", "effect": "Log.write", "kind": "emit", "args": ["hello"]}
// cycle: T[t] = 1
domain T {
  state { x: int = 0 }
  transition Run() {
    emit Log.write(message: "hello")
    return "sent"
  }
}
