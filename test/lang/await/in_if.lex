// `await` inside an `if` runs only when the branch is taken.
// effect: Calc.inc = {"$tag": "Ok", "value": 2}
// call: T[t].Run(go: false)
//   reply: 0
// call: T[t].Run(go: true)
//   reply: 2
// intents: 1
// cycle: T[t] = 3
effect Calc.inc(n: int) -> int
domain T {
  state { x: int = 0 }
  transition Run(go: bool) {
    if go {
      let r = await Calc.inc(n: 1)
      if let v = ok_value(r) { return v }
    }
    return 0
  }
  fn ok_value(r: result<int>) -> int? {
    match r {
      Ok(v) => { return v }
      Err(_) => { return none }
    }
  }
}
