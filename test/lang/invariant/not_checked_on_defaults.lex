// Invariants are never checked on the defaults, only after slices.
// call: T[t].Fix()
// state: T[t] = {"n": 0}
domain T {
  state { n: int = -1 }
  invariant NonNegative { n >= 0 }
  transition Fix() { n = 0 }
}
