// `starts_with` tests a prefix.
// call: T[t].Run()
//   reply: [true, false]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [starts_with("abc", "ab"), "abc".starts_with("b")]
  }
}
