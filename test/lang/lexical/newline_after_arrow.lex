// A line ending with `=>` continues with the arm's block on the next line.
// call: T[t].Run(b: false)
//   reply: 2
domain T {
  state { x: int = 0 }
  transition Run(b: bool) {
    match b {
      true =>
        { return 1 }
      false =>
        { return 2 }
    }
  }
}
