// `split(s, "")` splits into code points.
// call: T[t].Run()
//   reply: ["a", "😀", "b"]
domain T {
  state { x: int = 0 }
  transition Run() {
    return "a😀b".split("")
  }
}
