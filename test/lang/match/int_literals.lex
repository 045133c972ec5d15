// Int literal patterns (including negative ones) with a `_` catch-all.
// call: T[t].Run(n: -1)
//   reply: "minus one"
// call: T[t].Run(n: 2)
//   reply: "two"
// call: T[t].Run(n: 9)
//   reply: "many"
domain T {
  state { x: int = 0 }
  transition Run(n: int) {
    match n {
      -1 => { return "minus one" }
      2 => { return "two" }
      _ => { return "many" }
    }
  }
}
