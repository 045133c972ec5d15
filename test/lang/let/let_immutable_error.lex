// `let` bindings cannot be reassigned; the error points at the name with a note at the declaration.
// error: LX0404 @ 8:5
//   note: @ 7:9 declared here
domain T {
  state { x: int = 0 }
  transition Run() {
    let a = 1
    a = 2
    x = a
  }
}
