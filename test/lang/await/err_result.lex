// A failed effect arrives as `Err(EffectError { code, message, attempts })`.
// effect: Pay.charge = {"$tag": "Err", "error": {"code": "DECLINED", "message": "card declined", "attempts": 3}}
// call: T[t].Run()
//   reply: "DECLINED: card declined after 3"
effect Pay.charge(amount: int) -> int
domain T {
  state { x: int = 0 }
  transition Run() {
    let r = await Pay.charge(amount: 5)
    match r {
      Ok(v) => { return "ok {v}" }
      Err(e) => { return "{e.code}: {e.message} after {e.attempts}" }
    }
  }
}
