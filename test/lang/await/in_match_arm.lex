// `await` inside a match arm.
// effect: Calc.inc = {"$tag": "Ok", "value": 11}
// call: T[t].Run(mode: 1)
//   reply: 11
// cycle: T[t] = 2
effect Calc.inc(n: int) -> int
domain T {
  state { x: int = 0 }
  transition Run(mode: int) {
    match mode {
      1 => {
        let r = await Calc.inc(n: 10)
        match r {
          Ok(v) => { return v }
          Err(_) => { return -1 }
        }
      }
      _ => { return 0 }
    }
  }
}
