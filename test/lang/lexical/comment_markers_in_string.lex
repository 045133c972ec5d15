// `//` and `/*` inside a string are text, not comments.
// call: T[t].Run()
//   reply: "a // b /* c"
domain T {
  state { x: int = 0 }
  transition Run() {
    return "a // b /* c"
  }
}
