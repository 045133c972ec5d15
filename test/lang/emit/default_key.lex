// The default idempotency key is domain/instance/cycle/index (percent-encoded).
// call: Order["o 1"].Run()
// call: Order["o 1"].Run()
// intent: {"key": "Order/o%201/1/0"}
// intent: {"key": "Order/o%201/1/1"}
// intent: {"key": "Order/o%201/2/0"}
// intent: {"key": "Order/o%201/2/1"}
domain Order {
  state { x: int = 0 }
  transition Run() {
    emit Log.write(message: "a")
    emit Log.write(message: "b")
  }
}
