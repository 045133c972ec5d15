// An integer literal next to a float argument of `min`/`max` is a float.
// call: T[t].Run(f: 2.5)
//   reply: [1, 2.5, 2.5]
domain T {
  state { x: int = 0 }
  transition Run(f: float) {
    return [min(1, f), max(1, f), f.max(2)]
  }
}
