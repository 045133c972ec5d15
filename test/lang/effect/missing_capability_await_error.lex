// Awaiting an effect without its capability points at the `await`.
// error: LX0503 @ 10:13
effect Payments.charge(amount: int) -> int {
  capability { network.egress, payments.card }
}
domain T {
  capability network.egress
  state { x: int = 0 }
  transition Run() {
    let r = await Payments.charge(amount: 1)
    assert r != r
  }
}
