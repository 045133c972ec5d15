// The idempotency key may be given once.
// error: LX0213 @ 6:30
domain T {
  state { x: int = 0 }
  transition Run() {
    emit Log.write(key: "a", key: "b", message: "m")
  }
}
