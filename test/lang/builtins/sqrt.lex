// `sqrt` of a float.
// call: T[t].Run()
//   reply: [3, 0.5]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [sqrt(9.0), 0.25.sqrt()]
  }
}
