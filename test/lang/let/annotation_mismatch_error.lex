// A value that does not match the annotation is an error at the value.
// error: LX0301 @ 6:18
domain T {
  state { x: int = 0 }
  transition Run() {
    let a: int = "one"
    x = a
  }
}
