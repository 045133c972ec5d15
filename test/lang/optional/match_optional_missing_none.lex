// A match over `T?` without a `none` arm is not exhaustive.
// error: LX0401 @ 7:5
//   note: `none`
domain T {
  state { x: int = 0 }
  transition Run(o: bool?) {
    match o {
      true => { x = 1 }
      false => { x = 2 }
    }
  }
}
