// `return v` ends the transition and gives the caller a reply.
// call: T[t].Run(n: 4)
//   reply: 8
domain T {
  state { x: int = 0 }
  transition Run(n: int) {
    return n * 2
  }
}
