// A record is JSON as an object with fields in declaration order.
// call: T[t].Run()
//   reply: {"sku": "a", "qty": 3, "price": 5}
type Item { sku: string, qty: int, price: int }
domain T {
  state { x: int = 0 }
  transition Run() {
    return Item { price: 5, qty: 3, sku: "a" }
  }
}
