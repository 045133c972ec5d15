// `get` returns `T?`: none past the end instead of a trap.
// call: T[t].Run()
//   reply: [2, null, null]
domain T {
  state { x: int = 0 }
  transition Run() {
    let xs = [1, 2]
    return [xs.get(1), get(xs, 2), xs.get(-1)]
  }
}
