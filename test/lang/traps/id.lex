// LX-ID: a message to an invalid instance id.
// call: T[t].Run()
//   trap: LX-ID @ 6:22
domain T {
  state { x: int = 0 }
  transition Run() { send T[""].Run() }
}
