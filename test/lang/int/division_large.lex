// Division truncates exactly even near the int limit.
// call: T[t].Run(a: 9007199254740991, b: 2)
//   reply: [4503599627370495, 1, -4503599627370495]
// call: T[t].Run(a: 9007199254740991, b: 9007199254740990)
//   reply: [1, 1, -1]
domain T {
  state { x: int = 0 }
  transition Run(a: int, b: int) {
    return [a / b, a % b, -a / b]
  }
}
