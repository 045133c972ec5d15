// Emitting an effect needs its capability: the error points at `emit` with a note at the effect's capability line.
// error: LX0503 @ 12:5
//   note: @ 7:3 requires `network.egress`
//   note: add `capability { network.egress }`
type Receipt { id: string }
effect Payments.charge(amount: int) -> Receipt {
  capability network.egress
}
domain T {
  state { x: int = 0 }
  transition Run() {
    emit Payments.charge(amount: 1)
  }
}
