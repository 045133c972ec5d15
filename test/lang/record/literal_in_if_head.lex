// In an `if` head `Name {` ends the condition, so a record literal there needs parentheses.
// call: T[t].Run(a: 1)
//   reply: true
type P { a: int }
domain T {
  state { x: int = 0 }
  transition Run(a: int) {
    let p = P { a: a }
    if p == (P { a: 1 }) { return true }
    return false
  }
}
