// `j as T` checks a json value's shape and converts it.
// call: T[t].Run(j: {"sku": "a", "qty": 2})
//   reply: "a x2"
type Item { sku: string, qty: int }
domain T {
  state { x: int = 0 }
  transition Run(j: json) {
    let it = j as Item
    return "{it.sku} x{it.qty}"
  }
}
