// The largest and smallest ints are writable as literals.
// call: T[t].Run()
//   reply: [9007199254740991, -9007199254740991]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [9007199254740991, -9007199254740991]
  }
}
