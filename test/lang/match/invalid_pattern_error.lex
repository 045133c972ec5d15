// Only `_`, literals, `none` and variants are patterns: a list is not.
// error: LX0109 @ 7:7
domain T {
  state { x: int = 0 }
  transition Run(xs: list<int>) {
    match xs {
      [1] => { x = 1 }
      _ => { x = 2 }
    }
  }
}
