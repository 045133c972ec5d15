// A mutating built-in needs a `var` or state field: a `let` cannot change (note at its declaration).
// error: LX0405 @ 8:5
//   note: @ 7:9 declared here
domain T {
  state { x: int = 0 }
  transition Run() {
    let xs = [1]
    xs.push(2)
    x = len(xs)
  }
}
