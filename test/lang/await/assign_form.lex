// `x = await …` assigns the result to a variable or state field.
// effect: Calc.inc = {"$tag": "Ok", "value": 5}
// call: T[t].Run()
// state: T[t] = {"last": {"$tag": "Ok", "value": 5}}
effect Calc.inc(n: int) -> int
domain T {
  state { last: result<int> = Ok(0) }
  transition Run() {
    last = await Calc.inc(n: 1)
  }
}
