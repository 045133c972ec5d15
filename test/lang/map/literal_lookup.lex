// Map literals (keys are expressions) and `m[k]` lookups.
// call: T[t].Run(k: "b")
//   reply: [2, 3, 3]
domain T {
  state { x: int = 0 }
  transition Run(k: string) {
    let m = {"a": 1, k: 2, "{k}{k}": 3}
    return [m["b"], m["bb"], len(m)]
  }
}
