// `true` and `false` arms make a bool match exhaustive without `_`.
// call: T[t].Run(b: true)
//   reply: "yes"
domain T {
  state { x: int = 0 }
  transition Run(b: bool) {
    match b {
      true => { return "yes" }
      false => { return "no" }
    }
  }
}
