// Mutating built-ins (other than pop) are statements: used as a value they are an error.
// error: LX0405 @ 7:14
domain T {
  state { x: int = 0 }
  transition Run() {
    var xs = [1]
    let _y = xs.push(2)
    x = len(xs)
  }
}
