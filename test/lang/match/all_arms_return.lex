// A match whose arms all return ends the body: code after it is unreachable.
// error: LX0403 @ 10:5
domain T {
  state { x: int = 0 }
  transition Run(b: bool) {
    match b {
      true => { return 1 }
      false => { return 2 }
    }
    x = 1
  }
}
