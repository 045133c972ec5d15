// Returns of int literals and floats share the reply type float.
// call: T[t].Run(b: true)
//   reply: 1
// call: T[t].Run(b: false)
//   reply: 2.5
domain T {
  state { x: int = 0 }
  transition Run(b: bool) {
    if b { return 1 }
    return 2.5
  }
}
