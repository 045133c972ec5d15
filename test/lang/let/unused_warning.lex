// An unused `let` is a warning (warnings do not stop compilation).
// warning: LX0801 @ 8:9
// call: T[t].Run()
//   reply: 1
domain T {
  state { x: int = 0 }
  transition Run() {
    let unused = 5
    return 1
  }
}
