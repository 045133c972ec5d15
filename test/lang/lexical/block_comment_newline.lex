// A block comment that contains a newline still ends the statement before it.
// call: T[t].Run()
//   reply: [1, 2]
domain T {
  state { x: int = 0 }
  transition Run() {
    var a = 0
    var b = 0
    a = 1 /* first
    */ b = 2
    return [a, b]
  }
}
