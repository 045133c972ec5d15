// `send D[id].T(args)` delivers a durable message; the target instance is created on first message.
// call: Shop[s].Buy(sku: "a", qty: 2)
// state: Stock[a] = {"held": 2}
// cycle: Stock[a] = 1
domain Shop {
  state { orders: int = 0 }
  transition Buy(sku: string, qty: int) {
    orders += 1
    send Stock[sku].Hold(qty: qty)
  }
}
domain Stock {
  state { held: int = 0 }
  transition Hold(qty: int) { held += qty }
}
