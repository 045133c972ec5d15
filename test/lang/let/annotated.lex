// A `let`/`var` annotation gives the type (widening `T` to `T?`, typing `[]` and `none`).
// call: T[t].Run()
//   reply: [3, null, 0]
domain T {
  state { x: int = 0 }
  transition Run() {
    let a: int? = 3
    var b: int? = none
    let c: list<int> = []
    b = none
    return [a, b, len(c)]
  }
}
