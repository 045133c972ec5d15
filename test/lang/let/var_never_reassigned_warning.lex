// A `var` that is never reassigned is a warning: use `let`.
// warning: LX0802 @ 6:9
domain T {
  state { x: int = 0 }
  transition Run() {
    var a = 1
    x = a
  }
}
