// `result<T>` values are `Ok(v)` or `Err(e)` with `e` an EffectError; a match covers both.
// call: T[t].Run(good: true)
//   reply: "ok 5"
// call: T[t].Run(good: false)
//   reply: "err E1: bad (2)"
domain T {
  state { x: int = 0 }
  transition Run(good: bool) {
    var r: result<int> = Ok(5)
    if !good { r = Err(EffectError { code: "E1", message: "bad", attempts: 2 }) }
    match r {
      Ok(v) => { return "ok {v}" }
      Err(e) => { return "err {e.code}: {e.message} ({e.attempts})" }
    }
  }
}
