// `x ?? d` is the value of x, or d when x is none; its type is `T` when d is a `T`.
// call: T[t].Run(a: 5)
//   reply: [5, 7]
domain T {
  state { x: int = 0 }
  transition Run(a: int) {
    let some: int? = a
    let nothing: int? = none
    return [some ?? 0, nothing ?? 7]
  }
}
