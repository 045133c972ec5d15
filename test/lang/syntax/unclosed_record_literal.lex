// An unclosed record literal brace is reported at its `{`.
// error: LX0102 @ 8:16
//   note: expected `}`
type P { a: int }
domain T {
  state { x: int = 0 }
  transition Run() {
    let _p = P { a: 1
    x = 2
  }
}
