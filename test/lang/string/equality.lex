// Strings are equal when their code points are equal.
// call: T[t].Run(a: "é")
//   reply: [true, false, true]
domain T {
  state { x: int = 0 }
  transition Run(a: string) {
    return [a == "\u{e9}", a == "e", a != "E"]
  }
}
