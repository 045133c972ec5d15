// An instance id with a control character traps LX-ID.
// call: T[t].Run()
//   trap: LX-ID
//   message: control characters
domain T {
  state { x: int = 0 }
  transition Run() {
    send T["a\nb"].Other()
  }
  transition Other() { x = 1 }
}
