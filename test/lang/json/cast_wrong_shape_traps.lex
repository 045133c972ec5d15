// A cast to the wrong shape traps LX-CAST (the transition fails).
// call: T[t].Run(j: {"sku": 1})
//   trap: LX-CAST @ 9:14
//   message: Item
type Item { sku: string }
domain T {
  state { x: int = 0 }
  transition Run(j: json) {
    let it = j as Item
    return it.sku
  }
}
