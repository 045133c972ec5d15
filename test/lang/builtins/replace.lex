// `replace` replaces every occurrence.
// call: T[t].Run()
//   reply: ["x-x", "aXXa"]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [replace("a-a", "a", "x"), "abba".replace("b", "X")]
  }
}
