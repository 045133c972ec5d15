// A literal arm repeated is unreachable.
// error: LX0402 @ 9:7
domain T {
  state { x: int = 0 }
  transition Run(n: int) {
    match n {
      1 => { x = 1 }
      2 => { x = 2 }
      1 => { x = 3 }
      _ => { x = 4 }
    }
  }
}
