// `random_int` is unbiased: 6,000 throws of a die land on every face about 1,000 times.
// call: T[t].Run()
//   reply: true
@fuel(10000000)
domain T {
  state { x: int = 0 }
  transition Run() {
    var counts = [0, 0, 0, 0, 0, 0]
    var odd = 0
    for i in 0..6000 {
      let v = random_int(1, 6)
      counts[v - 1] += 1
      if random_int(0, 9007199254740991) % 2 == 1 { odd += 1 }
    }
    for c in counts { if c < 850 || c > 1150 { return false } }
    return odd > 2800 && odd < 3200
  }
}
