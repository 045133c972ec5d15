// `await` may only be a statement or the value of `let`/assignment.
// error: LX0110 @ 7:12
effect Calc.inc(n: int) -> int
domain T {
  state { x: int = 0 }
  transition Run() {
    return await Calc.inc(n: 1)
  }
}
