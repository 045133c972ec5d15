// `lower` changes ASCII letters to lower case.
// call: T[t].Run()
//   reply: ["abc1", "É"]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [lower("ABC1"), "É".lower()]
  }
}
