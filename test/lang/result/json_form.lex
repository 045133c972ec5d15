// A result is JSON as {"$tag": "Ok", "value": …} or {"$tag": "Err", "error": {…}}.
// call: T[t].Run()
//   reply: [{"$tag": "Ok", "value": 1}, {"$tag": "Err", "error": {"code": "c", "message": "m", "attempts": 1}}]
domain T {
  state { x: int = 0 }
  transition Run() {
    let a: result<int> = Ok(1)
    let b: result<int> = Err(EffectError { code: "c", message: "m", attempts: 1 })
    return [a, b]
  }
}
