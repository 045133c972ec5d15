type Item { sku: string, qty: int }

domain Cart {
  state {
    items: list<Item> = []
    total: float = 0.0
  }

  transition Add(sku: string, qty: int) {
    let unused = 1
    var n = qty
    items.push(Item { sku: sku, qtty: qty })
    total = total + qty
    let label = "sku " + sku
    assert len(label) > 0
  }
}
