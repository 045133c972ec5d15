// An unknown type name is reported with a suggestion.
// error: LX0203 @ 6:14
//   message: did you mean `Item`
type Item { a: int }
domain T {
  state { i: Itme? = none }
}
