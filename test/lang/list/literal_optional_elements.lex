// A list literal holding `T` and `T?` (or `none`) items is a `list<T?>`.
// call: T[t].Run(v: 5)
//   reply: [1, 5, null]
domain T {
  state { x: int = 0 }
  transition Run(v: int) {
    let o: int? = v
    return [1, o, none]
  }
}
