// Float literal patterns compare by value.
// call: T[t].Run(f: 0.5)
//   reply: "half"
domain T {
  state { x: int = 0 }
  transition Run(f: float) {
    match f {
      0.5 => { return "half" }
      _ => { return "other" }
    }
  }
}
