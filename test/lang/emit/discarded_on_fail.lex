// A failed segment's intents are discarded with its state changes.
// call: T[t].Run()
//   trap: LX-FAIL
// intents: 0
domain T {
  state { x: int = 0 }
  transition Run() {
    emit Log.write(message: "never")
    fail "stop"
  }
}
