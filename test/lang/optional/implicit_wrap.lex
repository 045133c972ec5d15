// `T` converts implicitly to `T?` (assignments, arguments, returns).
// call: T[t].Run()
//   reply: 4
// state: T[t] = {"o": 3}
domain T {
  state { o: int? = none }
  transition Run() {
    o = 3
    return f(4) ?? 0
  }
  fn f(x: int?) -> int? { return x }
}
