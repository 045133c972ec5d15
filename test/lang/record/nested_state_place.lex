// `state.items[0].qty += 1` updates one field deep inside a state field; an earlier copy keeps the old value.
// call: T[t].Run()
//   reply: [2, 1]
// state: T[t] = {"items": [{"sku": "a", "qty": 2}, {"sku": "b", "qty": 1}]}
type Item { sku: string, qty: int }
domain T {
  state { items: list<Item> = [Item { sku: "a", qty: 1 }, Item { sku: "b", qty: 1 }] }
  transition Run() {
    let before = items
    state.items[0].qty += 1
    return [items[0].qty, before[0].qty]
  }
}
