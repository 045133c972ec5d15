// Only int, float, bool and string interpolate: a list is an error at the expression.
// error: LX0310 @ 7:16
domain T {
  state { x: int = 0 }
  transition Run() {
    let xs = [1]
    return "a {xs}"
  }
}
