// `await` cannot be an argument.
// error: LX0110 @ 7:15
effect Calc.inc(n: int) -> result<int>
domain T {
  state { x: int = 0 }
  transition Run() {
    let a = f(await Calc.inc(n: 1))
  }
  fn f(r: result<result<int>>) -> int { return 0 }
}
