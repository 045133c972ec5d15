// Records are equal when their fields are equal.
// call: T[t].Run()
//   reply: [true, false]
type P { a: int, b: list<string> }
domain T {
  state { x: int = 0 }
  transition Run() {
    let p = P { a: 1, b: ["x"] }
    return [p == P { b: ["x"], a: 1 }, p != P { a: 1, b: ["x"] }]
  }
}
