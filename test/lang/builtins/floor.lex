// `floor` rounds toward −∞ and returns a float.
// call: T[t].Run()
//   reply: [-2, 1]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [floor(-1.5), 1.9.floor()]
  }
}
