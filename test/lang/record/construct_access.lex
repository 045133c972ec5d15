// Records are built with named fields (any order) and read with `.field`.
// call: T[t].Run()
//   reply: ["3", "a", "15"]
type Item { sku: string, qty: int, price: int }
domain T {
  state { x: int = 0 }
  transition Run() {
    let it = Item { price: 5, sku: "a", qty: 3 }
    return [to_s(it.qty), it.sku, to_s(it.qty * it.price)]
  }
  fn to_s(n: int) -> string { return "{n}" }
}
