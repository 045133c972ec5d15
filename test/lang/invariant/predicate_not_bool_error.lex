// An invariant predicate must be bool.
// error: LX0603 @ 5:19
domain T {
  state { n: int = 0 }
  invariant Bad { "yes" }
}
