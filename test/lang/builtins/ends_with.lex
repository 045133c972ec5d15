// `ends_with` tests a suffix.
// call: T[t].Run()
//   reply: [true, false]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [ends_with("abc", "bc"), "abc".ends_with("b")]
  }
}
