// `starts_with` and `ends_with`, as functions and methods.
// call: T[t].Run()
//   reply: [true, false, true, true]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [starts_with("lexum", "lex"), "lexum".starts_with("um"), ends_with("lexum", "um"), "lexum".ends_with("")]
  }
}
