// A negative index traps LX-INDEX (there is no counting from the end).
// call: T[t].Run()
//   trap: LX-INDEX
domain T {
  state { x: int = 0 }
  transition Run() {
    let xs = [1, 2, 3]
    return xs[-1]
  }
}
