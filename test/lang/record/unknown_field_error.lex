// A field the record does not have is reported at its name (with a suggestion).
// error: LX0204 @ 9:29
//   message: did you mean `qty`
// error: LX0219 @ 9:12
type Item { sku: string, qty: int }
domain T {
  state { x: int = 0 }
  transition Run() {
    return Item { sku: "a", qtty: 1 }
  }
}
