type Item { sku: string, qty: int, price: int }
type Receipt { id: string, amount: int }
enum Status { Open, Charging, Paid, Failed(reason: string) }

// An effect is an operation performed outside the VM by a host adapter.
effect Payments.charge(order: string, amount: int) -> Receipt {
  capability network.egress
  retries 5 backoff 200ms..10s     // exponential, capped
  timeout 15s
}

fn subtotal(items: list<Item>) -> int {       // pure helper: no state, no effects
  var total = 0
  for it in items { total += it.qty * it.price }
  return total
}

domain Order {
  capability { network.egress }
  priority normal                   // default priority of this domain's messages

  state {
    status: Status = Open
    items: list<Item> = []
    total: int = 0
    receipt: Receipt? = none
  }

  invariant TotalNeverNegative { total >= 0 }

  transition AddItem(item: Item) {
    assert status == Open, "order is closed"
    items.push(item)
    total = subtotal(items)
  }

  @priority(high)
  transition Checkout() {
    slice reserve {
      status = Charging
      for it in items { send Inventory[it.sku].Reserve(order: self.id, qty: it.qty) }
    }
    slice charge {
      let r = await Payments.charge(order: self.id, amount: total)
      match r {
        Ok(rc) => { receipt = rc; status = Paid }
        Err(e)      => { status = Failed(reason: e.message) }
      }
    }
    return status
  }

  transition Expire() { if status == Open { status = Failed(reason: "expired") } }
}

domain Inventory {
  state { held: map<string, int> = {} }
  transition Reserve(order: string, qty: int) { held.insert(order, (held.get(order) ?? 0) + qty) }
}
