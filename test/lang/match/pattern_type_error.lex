// A literal pattern of the wrong type is an error.
// error: LX0408 @ 7:7
domain T {
  state { x: int = 0 }
  transition Run(n: int) {
    match n {
      "one" => { x = 1 }
      _ => { x = 2 }
    }
  }
}
