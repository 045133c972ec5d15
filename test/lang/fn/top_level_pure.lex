// A top-level `fn` is a pure helper that sees only its arguments.
// call: T[t].Run()
//   reply: 23
type Item { qty: int, price: int }
fn subtotal(items: list<Item>) -> int {
  var total = 0
  for it in items { total += it.qty * it.price }
  return total
}
domain T {
  state { x: int = 0 }
  transition Run() {
    return subtotal([Item { qty: 2, price: 5 }, Item { qty: 1, price: 13 }])
  }
}
