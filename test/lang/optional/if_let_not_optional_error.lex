// `if let` needs an optional value.
// error: LX0321 @ 6:16
domain T {
  state { x: int = 0 }
  transition Run() {
    if let v = x { return v }
  }
}
