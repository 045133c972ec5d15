// `await` is only allowed in transitions.
// error: LX0504 @ 5:12
effect Calc.inc(n: int) -> int
fn helper() -> int {
  let _r = await Calc.inc(n: 1)
  return 0
}
domain T {
  state { x: int = 0 }
}
