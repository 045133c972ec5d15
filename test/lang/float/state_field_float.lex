// A float state field keeps its value across transitions.
// call: T[t].Add(d: 0.5)
// call: T[t].Add(d: 0.25)
//   reply: 1.75
// state: T[t] = {"f": 1.75}
domain T {
  state { f: float = 1.0 }
  transition Add(d: float) {
    f += d
    return f
  }
}
