// A bool match without `false` is not exhaustive.
// error: LX0401 @ 7:5
//   note: `false`
domain T {
  state { x: int = 0 }
  transition Run(b: bool) {
    match b {
      true => { x = 1 }
    }
  }
}
