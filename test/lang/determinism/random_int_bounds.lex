// `random_int` stays within its inclusive bounds, including one-value and full-int ranges.
// call: T[t].Run()
//   reply: true
domain T {
  state { x: int = 0 }
  transition Run() {
    for i in 0..200 {
      let v = random_int(-3, 3)
      if v < -3 || v > 3 { return false }
      if random_int(7, 7) != 7 { return false }
      let w = random_int(-9007199254740991, 9007199254740991)
      if w < -9007199254740991 || w > 9007199254740991 { return false }
    }
    let r = random()
    return r >= 0.0 && r < 1.0
  }
}
