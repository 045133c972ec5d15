// A bare name at the top of a pattern over a non-enum is an error (use `_`).
// error: LX0109 @ 8:7
//   message: use `_` to match anything
domain T {
  state { x: int = 0 }
  transition Run(n: int) {
    match n {
      other => { x = 1 }
    }
  }
}
