// An integer literal is a float where a float is expected (and only a literal).
// call: T[t].Run(a: 2.5)
//   reply: [5, 3.5, 1]
// state: T[t] = {"f": 1}
domain T {
  state { f: float = 1 }
  transition Run(a: float) {
    return [a * 2, 1 + a, f]
  }
}
