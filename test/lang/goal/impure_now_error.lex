// Goal predicates are pure: `now()` is reported at the call.
// error: LX0502 @ 5:12
domain T {
  state { until: int = 0 }
  goal G { now() > until } via Up
  transition Up() { until = 1 }
}
