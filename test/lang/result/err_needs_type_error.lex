// `Err(…)` needs a `result<T>` from context.
// error: LX0307 @ 6:14
domain T {
  state { x: int = 0 }
  transition Run() {
    let _r = Err(EffectError { code: "c", message: "m", attempts: 1 })
  }
}
