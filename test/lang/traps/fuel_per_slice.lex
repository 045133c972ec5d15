// Fuel is per slice: two slices may each use most of the budget, which one slice could not.
// call: T[t].Split()
//   reply: 2
// call: T[t].Whole()
//   trap: LX-FUEL
@fuel(300)
domain T {
  state { x: int = 0 }
  transition Split() {
    slice a { for i in 0..15 { x += 0 } }
    slice b { for i in 0..15 { x += 0 } }
    return 2
  }
  transition Whole() {
    for i in 0..30 { x += 0 }
    return 1
  }
}
