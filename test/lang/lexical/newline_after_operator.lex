// A line ending with a binary operator continues on the next line.
// call: T[t].Run()
//   reply: [6, 1, 7]
domain T {
  state { x: int = 0 }
  transition Run() {
    let a = 1 +
      2 +
      3
    let b = a > 1 &&
      a < 10
    let o: int? = none
    let c = o ??
      7
    return [a, if_int(b), c]
  }
  fn if_int(b: bool) -> int { if b { return 1 }; return 0 }
}
