// `//` comments run to the end of the line and may follow code.
// call: T[t].Run()
//   reply: 3
domain T {
  state { x: int = 0 } // a trailing comment
  // a comment on its own line
  transition Run() {
    let a = 1 // one
    return a + 2 // three
  }
}
