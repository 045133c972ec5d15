// A goal predicate must be bool.
// error: LX0603 @ 5:12
domain T {
  state { n: int = 0 }
  goal G { n + 1 } via Up
  transition Up() { n += 1 }
}
