// `floor` and `ceil` return floats, toward −∞ and +∞.
// call: T[t].Run()
//   reply: [-2, -1, 1, 2, 3]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [floor(-1.5), ceil(-1.5), floor(1.5), ceil(1.5), floor(3.0)]
  }
}
