// A built-in on an optional collection is an error: unwrap it first.
// error: LX0305 @ 7:16
domain T {
  state { x: int = 0 }
  transition Run() {
    let xs: list<int>? = none
    return len(xs)
  }
}
