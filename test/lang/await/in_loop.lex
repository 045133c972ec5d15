// `await` inside a loop: each await is a commit point, and the loop position survives.
// effect: Calc.double = {"$tag": "Ok", "value": 2}
// effect: Calc.double = {"$tag": "Ok", "value": 4}
// effect: Calc.double = {"$tag": "Ok", "value": 6}
// call: T[t].Run()
//   reply: [2, 4, 6]
// cycle: T[t] = 4
// intents: 3
// intent: {"args": [1], "key": "T/t/1/0"}
// intent: {"args": [2], "key": "T/t/2/0"}
// intent: {"args": [3], "key": "T/t/3/0"}
effect Calc.double(n: int) -> int
domain T {
  state { x: int = 0 }
  transition Run() {
    var out: list<int> = []
    for n in [1, 2, 3] {
      let r = await Calc.double(n: n)
      match r {
        Ok(v) => { out.push(v) }
        Err(_) => { out.push(-1) }
      }
    }
    return out
  }
}
