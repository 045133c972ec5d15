// An invariant may be false in the middle of a slice; only its end counts.
// call: T[t].Run()
// state: T[t] = {"a": 5, "b": 5}
domain T {
  state { a: int = 0, b: int = 0 }
  invariant Equal { a == b }
  transition Run() {
    a = 5
    b = 5
  }
}
