// Float literals: a fraction needs digits on both sides, exponents with optional sign.
// call: T[t].Run()
//   reply: [1.5, 2000, 0.0015, 200, 1000.5, 0.25]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [1.5, 2e3, 1.5e-3, 2E+2, 1_000.5, 25e-2]
  }
}
