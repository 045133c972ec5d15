// The left side of `??` must be optional.
// error: LX0301 @ 6:12
domain T {
  state { x: int = 0 }
  transition Run(a: int) {
    return a ?? 1
  }
}
