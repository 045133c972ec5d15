// Assigning a value of the wrong type is an error at the value.
// error: LX0301 @ 6:9
domain T {
  state { x: int = 0 }
  transition Run() {
    x = "s"
  }
}
