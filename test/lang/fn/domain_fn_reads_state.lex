// A domain `fn` reads (never writes) its domain's state, including in-progress changes.
// call: T[t].Run()
//   reply: 10
domain T {
  state { xs: list<int> = [1, 2] }
  transition Run() {
    xs.push(7)
    return total()
  }
  fn total() -> int { return sum(xs) }
}
