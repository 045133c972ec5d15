// List literals and `xs[i]` reads.
// call: T[t].Run()
//   reply: [10, 30, 3]
domain T {
  state { x: int = 0 }
  transition Run() {
    let xs = [10, 20, 30]
    return [xs[0], xs[2], len(xs)]
  }
}
