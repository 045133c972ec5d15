// An empty instance id traps LX-ID at the send.
// call: T[t].Run()
//   trap: LX-ID @ 8:5
//   message: must not be empty
domain T {
  state { x: int = 0 }
  transition Run() {
    send T[""].Run()
  }
}
