// A match over an enum with unit variants; every variant has an arm.
// call: T[t].Run(n: 1)
//   reply: "green"
enum Color { Red, Green, Blue }
domain T {
  state { c: Color = Red }
  transition Run(n: int) {
    if n == 1 { c = Green } else if n == 2 { c = Blue }
    match c {
      Red => { return "red" }
      Green => { return "green" }
      Blue => { return "blue" }
    }
  }
}
