// A line ending with `.` continues on the next line.
// call: T[t].Run()
//   reply: 3
domain T {
  state { x: int = 0 }
  transition Run() {
    let xs = [1, 2, 3]
    return xs.
      len()
  }
}
