// Ints are an infinite set: only `_` completes a match over them.
// error: LX0401 @ 7:5
//   note: `_`
domain T {
  state { x: int = 0 }
  transition Run(n: int) {
    match n {
      0 => { x = 1 }
      1 => { x = 2 }
    }
  }
}
