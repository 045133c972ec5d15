// A match over `T?` covers `none` and the inner type's patterns.
// call: T[t].Run(n: 0)
//   reply: "none"
// call: T[t].Run(n: 1)
//   reply: "A"
// call: T[t].Run(n: 2)
//   reply: "B(7)"
enum E { A, B(v: int) }
domain T {
  state { x: int = 0 }
  transition Run(n: int) {
    var o: E? = none
    if n == 1 { o = A } else if n == 2 { o = B(v: 7) }
    match o {
      none => { return "none" }
      A => { return "A" }
      B(v) => { return "B({v})" }
    }
  }
}
