// Generic types need their type arguments: `list` takes one, `map` two.
// error: LX0104 @ 5:14
// error: LX0104 @ 5:28
domain T {
  state { a: list = [], b: map<int> = {} }
}
