// Invariant checks draw on the slice's fuel budget.
// call: T[t].Small()
// call: T[t].Big()
//   trap: LX-FUEL
@fuel(400)
domain T {
  state { n: int = 0 }
  invariant Cheap { sum_to(n) >= 0 }
  transition Small() { n = 3 }
  transition Big() { n = 40 }
  fn sum_to(k: int) -> int {
    var s = 0
    for i in 0..k { s += i }
    return s
  }
}
