// A trap inside a fn points at the failing expression in the fn.
// call: T[t].Run()
//   trap: LX-DIV0 @ 4:41
fn half(n: int, d: int) -> int { return n / d }
domain T {
  state { x: int = 0 }
  transition Run() { return half(1, 0) }
}
