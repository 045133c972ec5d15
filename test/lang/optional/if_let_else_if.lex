// `if let` chains with `else if` and `else if let`.
// call: T[t].Run(a: 0, b: 7)
//   reply: "b=7"
// call: T[t].Run(a: 1, b: 0)
//   reply: "a=1"
// call: T[t].Run(a: 0, b: 0)
//   reply: "none"
domain T {
  state { x: int = 0 }
  transition Run(a: int, b: int) {
    let oa: int? = if_nz(a)
    let ob: int? = if_nz(b)
    if let v = oa {
      return "a={v}"
    } else if let w = ob {
      return "b={w}"
    } else if a == 0 {
      return "none"
    }
    return "?"
  }
  fn if_nz(n: int) -> int? { if n != 0 { return n }; return none }
}
