// An await in a map loop inside a match arm: keys, values, loop position and outer locals all survive.
// effect: Calc.inc = {"$tag": "Ok", "value": 10}
// effect: Calc.inc = {"$tag": "Err", "error": {"code": "X", "message": "down", "attempts": 1}}
// effect: Calc.inc = {"$tag": "Ok", "value": 30}
// call: T[t].Run()
//   reply: "a:10 b:down c:30 (3)"
// cycle: T[t] = 4
effect Calc.inc(n: int) -> int
domain T {
  state { m: map<string, int> = {"c": 3, "a": 1, "b": 2} }
  transition Run() {
    var out: list<string> = []
    let tag = "x"
    for k, v in m {
      match tag {
        "x" => {
          let r = await Calc.inc(n: v)
          match r {
            Ok(n) => { out.push("{k}:{n}") }
            Err(e) => { out.push("{k}:{e.message}") }
          }
        }
        _ => { out.push("?") }
      }
    }
    return "{join(out, " ")} ({len(out)})"
  }
}
