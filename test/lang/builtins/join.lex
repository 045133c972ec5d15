// `join` puts a separator between the strings of a list.
// call: T[t].Run()
//   reply: ["a, b", "", "xy"]
domain T {
  state { x: int = 0 }
  transition Run() {
    let e: list<string> = []
    return [join(["a", "b"], ", "), e.join("-"), ["x", "y"].join("")]
  }
}
