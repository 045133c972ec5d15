// `random_int(lo, hi)` with lo > hi traps.
// call: T[t].Run()
//   trap: LX-INDEX
//   message: lower bound is above the upper bound
domain T {
  state { x: int = 0 }
  transition Run() { return random_int(5, 1) }
}
