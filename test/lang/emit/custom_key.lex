// `key: expr` sets the idempotency key; it is not passed as an argument.
// call: T[o7].Run()
// intent: {"key": "charge-o7", "args": ["x"]}
domain T {
  state { x: int = 0 }
  transition Run() {
    emit Log.write(key: "charge-{self.id}", message: "x")
  }
}
