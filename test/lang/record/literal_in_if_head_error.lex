// In an `if` head `P {` would start the block; `P { a: 1 }` there is reported (and read as a record).
// error: LX0101 @ 9:13
//   message: needs parentheses
type P { a: int }
domain T {
  state { x: int = 0 }
  transition Run(a: int) {
    let p = P { a: a }
    if p == P { a: 1 } { x = 1 }
  }
}
