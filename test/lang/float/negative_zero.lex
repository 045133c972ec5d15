// −0 is normalised to 0: negation, products and rounding never yield −0.
// call: T[t].Run(z: 0.0)
//   reply: ["0", "0", "0", "0", "1"]
domain T {
  state { x: int = 0 }
  transition Run(z: float) {
    let a = -z
    let b = z * -1.0
    let c = round(-0.4)
    let d = ceil(-0.5)
    return [to_string(a), to_string(b), to_string(c), "{d}", "{to_string(a).len()}"]
  }
}
