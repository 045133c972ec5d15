// With an optional default, `a ?? b` stays optional.
// call: T[t].Run()
//   reply: null
domain T {
  state { x: int = 0 }
  transition Run() -> int? {
    let a: int? = none
    let b: int? = none
    let r = a ?? b
    return r
  }
}
