// Invariant predicates are pure: `random()` is reported at the call.
// error: LX0502 @ 5:17
domain T {
  state { n: float = 0.0 }
  invariant I { random() >= n }
}
