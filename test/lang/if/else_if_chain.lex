// `if` / `else if` / `else` chains pick the first true branch.
// call: T[t].Run(n: 5)
//   reply: "mid"
// call: T[t].Run(n: 50)
//   reply: "high"
// call: T[t].Run(n: -1)
//   reply: "low"
domain T {
  state { x: int = 0 }
  transition Run(n: int) {
    if n < 0 {
      return "low"
    } else if n < 10 {
      return "mid"
    } else {
      return "high"
    }
  }
}
