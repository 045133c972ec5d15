// `upper` changes ASCII letters to upper case.
// call: T[t].Run()
//   reply: ["ABC1", "é"]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [upper("abc1"), "é".upper()]
  }
}
