// A fn without a result type has no value.
// error: LX0322 @ 7:14
fn log(n: int) { assert n >= 0 }
domain T {
  state { x: int = 0 }
  transition Run() {
    let _v = log(1)
    x = 1
  }
}
