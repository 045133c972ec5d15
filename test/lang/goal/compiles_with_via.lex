// A goal with a `via` list compiles; its transitions run like any other.
// call: Pool[p].Resize(to: 2)
// call: Pool[p].ScaleUp()
// state: Pool[p] = {"desired": 2, "workers": 1}
domain Pool {
  state { desired: int = 5, workers: int = 0 }
  goal Sized priority high { workers == desired } via ScaleUp, ScaleDown
  transition ScaleUp() { if workers < desired { workers += 1 } }
  transition ScaleDown() { if workers > desired { workers -= 1 } }
  transition Resize(to: int) { desired = to }
}
