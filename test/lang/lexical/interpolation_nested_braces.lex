// The lexer tracks brace depth, so an interpolation may hold map and record literals.
// call: T[t].Run()
//   reply: "v=2 p=3"
type P { a: int, b: int }
domain T {
  state { x: int = 0 }
  transition Run() {
    return "v={ {"k": 2}["k"] } p={P { a: 1, b: 2 }.a + 2}"
  }
}
