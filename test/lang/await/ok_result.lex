// `await` waits for the effect; its result arrives as `Ok(value)`.
// effect: Payments.charge = {"$tag": "Ok", "value": {"id": "r-1", "amount": 100}}
// call: T[o1].Run()
//   reply: "paid r-1"
// cycle: T[o1] = 2
type Receipt { id: string, amount: int }
effect Payments.charge(order: string, amount: int) -> Receipt {
  capability network.egress
}
domain T {
  capability { network.egress }
  state { receipt: Receipt? = none }
  transition Run() {
    let r = await Payments.charge(order: self.id, amount: 100)
    match r {
      Ok(rc) => { receipt = rc; return "paid {rc.id}" }
      Err(e) => { return "failed {e.message}" }
    }
  }
}
