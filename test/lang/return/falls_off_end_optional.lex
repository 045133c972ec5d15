// Falling off the end replies none, so a transition that sometimes returns a value replies `T?`.
// call: T[t].Run(b: true)
//   reply: 1
// call: T[t].Run(b: false)
//   reply: null
domain T {
  state { x: int = 0 }
  transition Run(b: bool) {
    if b { return 1 }
  }
}
