// A parameter cannot be changed by a mutating built-in.
// error: LX0405 @ 6:10
domain T {
  state { x: int = 0 }
  transition Run(xs: list<int>) {
    sort(xs)
    x = len(xs)
  }
}
