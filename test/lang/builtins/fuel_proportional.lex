// Built-ins charge fuel in proportion to what they touch: one `split` of 2,048 characters exceeds 1,000 fuel.
// call: T[t].Run(n: 8)
//   reply: 256
// call: T[t].Run(n: 11)
//   trap: LX-FUEL
@fuel(1000)
domain T {
  state { x: int = 0 }
  transition Run(n: int) {
    var s = "a"
    for i in 0..n { s = "{s}{s}" }
    let parts = split(s, "")
    return len(parts)
  }
}
