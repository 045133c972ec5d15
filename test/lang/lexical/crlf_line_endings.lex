// Windows line endings (CR LF) work like LF.
// call: T[t].Run()
//   reply: 3
domain T {
  state { x: int = 0 }
  transition Run() {
    let a = 1
    return a + 2
  }
}
