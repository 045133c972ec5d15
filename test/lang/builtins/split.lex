// `split` cuts a string at every separator.
// call: T[t].Run()
//   reply: [["a", "b"], ["x", "", "y"]]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [split("a b", " "), "x--y".split("-")]
  }
}
