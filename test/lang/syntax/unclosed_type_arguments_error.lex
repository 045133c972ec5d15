// `list<int` without `>` is reported.
// error: LX0104 @ 4:23
domain T {
  state { a: list<int = [] }
}
