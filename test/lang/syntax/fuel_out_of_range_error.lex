// `@fuel(N)` must be between 1 and 1,000,000,000.
// error: LX0702 @ 3:1
@fuel(0)
domain T {
  state { x: int = 0 }
}
