// A line starting with `.` continues the expression of the line before.
// call: T[t].Run()
//   reply: "A-B"
domain T {
  state { x: int = 0 }
  transition Run() {
    return "a-b"
      .upper()
  }
}
