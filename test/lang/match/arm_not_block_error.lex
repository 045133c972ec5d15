// A match arm's body must be a block.
// error: LX0111 @ 7:12
domain T {
  state { x: int = 0 }
  transition Run(n: int) {
    match n {
      1 => x = 1
      _ => { x = 2 }
    }
  }
}
