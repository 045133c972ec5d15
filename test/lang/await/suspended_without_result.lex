// Without a result the instance stays suspended on the effect; the state so far is committed.
// call: T[t].Run()
//   suspended: Pay.charge
// state: T[t] = {"x": 1}
// cycle: T[t] = 1
// intent: {"effect": "Pay.charge", "kind": "await", "key": "T/t/1/0"}
effect Pay.charge(amount: int) -> int
domain T {
  state { x: int = 0 }
  transition Run() {
    x = 1
    let r = await Pay.charge(amount: 5)
    match r {
      Ok(v) => { x = v }
      Err(_) => { x = -1 }
    }
  }
}
