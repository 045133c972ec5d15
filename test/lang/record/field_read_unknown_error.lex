// Reading a field a record lacks is an error at the field name.
// error: LX0204 @ 8:15
type Item { sku: string }
domain T {
  state { x: int = 0 }
  transition Run() {
    let it = Item { sku: "a" }
    return it.price
  }
}
