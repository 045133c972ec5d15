// String literal patterns.
// call: T[t].Run(s: "b")
//   reply: 2
domain T {
  state { x: int = 0 }
  transition Run(s: string) {
    match s {
      "a" => { return 1 }
      "b" => { return 2 }
      _ => { return 0 }
    }
  }
}
