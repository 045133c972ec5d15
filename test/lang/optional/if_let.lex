// `if let v = x { … }` runs the block with the unwrapped value when x is not none.
// call: T[t].Run(k: "a")
//   reply: 10
// call: T[t].Run(k: "z")
//   reply: -1
domain T {
  state { m: map<string, int> = {"a": 5} }
  transition Run(k: string) {
    if let v = m.get(k) {
      return v * 2
    } else {
      return -1
    }
  }
}
