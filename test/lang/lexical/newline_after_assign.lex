// A line ending with `=` continues on the next line (let and assignment).
// call: T[t].Run()
//   reply: 12
domain T {
  state { x: int = 0 }
  transition Run() {
    let a =
      5
    x =
      a + 7
    return x
  }
}
