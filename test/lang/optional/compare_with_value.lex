// An optional compares equal to a plain value of its inner type.
// call: T[t].Run()
//   reply: [true, false, false]
domain T {
  state { x: int = 0 }
  transition Run() {
    let a: int? = 3
    let n: int? = none
    return [a == 3, n == 3, 3 == n]
  }
}
