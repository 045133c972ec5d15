// The idempotency key must be a string.
// error: LX0509 @ 6:39
domain T {
  state { x: int = 0 }
  transition Run() {
    emit Log.write(message: "m", key: 42)
  }
}
