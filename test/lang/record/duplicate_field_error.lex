// Giving a field twice is an error at the second one.
// error: LX0213 @ 7:37
type Item { sku: string, qty: int }
domain T {
  state { x: int = 0 }
  transition Run() {
    return Item { sku: "a", qty: 1, qty: 2 }
  }
}
