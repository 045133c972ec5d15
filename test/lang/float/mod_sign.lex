// Float `%` takes the dividend's sign, like int `%`.
// call: T[t].Run()
//   reply: [1.5, -1.5, 1.5]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [5.5 % 2.0, -5.5 % 2.0, 5.5 % -2.0]
  }
}
