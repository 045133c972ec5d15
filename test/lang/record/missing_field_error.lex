// Every field must be given: the missing ones are named, at the type name.
// error: LX0219 @ 8:12
//   message: `qty`
type Item { sku: string, qty: int }
domain T {
  state { x: int = 0 }
  transition Run() {
    return Item { sku: "a" }
  }
}
