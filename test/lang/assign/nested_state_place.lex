// `state.items[0].qty += 1` rebuilds the path with value semantics: an alias keeps the old value.
// call: T[t].Run()
//   reply: {"alias": 1, "now": 2}
// state: T[t] = {"items": [{"qty": 2}]}
type Item { qty: int }
type Out { alias: int, now: int }
domain T {
  state { items: list<Item> = [Item { qty: 1 }] }
  transition Run() {
    let alias = items
    state.items[0].qty += 1
    return Out { alias: alias[0].qty, now: items[0].qty }
  }
}
