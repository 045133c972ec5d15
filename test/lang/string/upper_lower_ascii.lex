// `upper` and `lower` change ASCII letters only.
// call: T[t].Run()
//   reply: ["STRAßE É1", "abc ÀÉ"]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [upper("straße é1").replace("é", "É"), "ABC ÀÉ".lower()]
  }
}
