// `fail` inside a `fn` aborts the calling transition.
// call: T[t].Run(n: -1)
//   trap: LX-FAIL @ 7:14
//   message: negative
// state: T[t] = {"x": 0}
fn check(n: int) -> int {
  if n < 0 { fail "negative" }
  return n
}
domain T {
  state { x: int = 0 }
  transition Run(n: int) {
    x = check(n)
  }
}
