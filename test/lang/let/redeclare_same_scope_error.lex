// Declaring a name twice in one scope is an error (with a note at the first).
// error: LX0215 @ 8:9
//   note: @ 7:9 first declared here
domain T {
  state { x: int = 0 }
  transition Run() {
    let a = 1
    let a = 2
    x = a
  }
}
