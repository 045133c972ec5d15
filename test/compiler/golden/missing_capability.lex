type Receipt { id: string, amount: int }

effect Payments.charge(order: string, amount: int) -> Receipt {
  capability network.egress
  retries 3 backoff 100ms..2s
}

domain Order {
  state { paid: bool = false }

  transition Pay(amount: int) {
    let r = await Payments.charge(order: self.id, amount: amount)
    match r {
      Ok(_) => { paid = true }
      Err(_) => { paid = false }
    }
  }
}
