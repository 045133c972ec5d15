// `== none` and `!= none` test an optional (on either side).
// call: T[t].Run()
//   reply: [true, false, false, true]
domain T {
  state { x: int = 0 }
  transition Run() {
    let a: string? = none
    let b: string? = "x"
    return [a == none, none == b, a != none, none != b]
  }
}
