// LX-INDEX: a list index out of range.
// call: T[t].Run()
//   trap: LX-INDEX @ 6:29
domain T {
  state { x: int = 0 }
  transition Run() { return [1][1] }
}
