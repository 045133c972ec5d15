// `none` cannot match a non-optional value.
// error: LX0408 @ 7:7
domain T {
  state { x: int = 0 }
  transition Run(n: int) {
    match n {
      none => { x = 1 }
      _ => { x = 2 }
    }
  }
}
