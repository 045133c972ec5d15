// An optional state field of record type starts as none and is set later.
// call: T[t].Set(id: "r1")
// call: T[t].Get()
//   reply: "r1"
// state: T[t] = {"receipt": {"id": "r1", "amount": 3}}
type Receipt { id: string, amount: int }
domain T {
  state { receipt: Receipt? = none }
  transition Set(id: string) { receipt = Receipt { id: id, amount: 3 } }
  transition Get() {
    if let r = receipt { return r.id }
    return "none"
  }
}
