// `split` keeps empty parts; `join` puts the separator between parts.
// call: T[t].Run()
//   reply: [["a", "b", "", "c"], ["a+b++c"], [""], ["x"]]
domain T {
  state { x: int = 0 }
  transition Run() {
    let parts = split("a,b,,c", ",")
    return [parts, [parts.join("+")], split("", ","), [join(["x"], ",")]]
  }
}
