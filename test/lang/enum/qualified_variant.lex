// `Enum.Variant` always names a variant, in expressions and patterns.
// call: T[t].Run()
//   reply: "closed 5"
enum S { Open, Closed(code: int) }
domain T {
  state { s: S = S.Open }
  transition Run() {
    s = S.Closed(code: 5)
    match s {
      S.Open => { return "open" }
      S.Closed(c) => { return "closed {c}" }
    }
  }
}
