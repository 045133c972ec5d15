// A false `assert` inside a `fn` aborts the calling transition.
// call: T[t].Run()
//   trap: LX-ASSERT
//   message: positive
fn half(n: int) -> int {
  assert n > 0, "positive"
  return n / 2
}
domain T {
  state { x: int = 0 }
  transition Run() {
    x = half(0)
  }
}
