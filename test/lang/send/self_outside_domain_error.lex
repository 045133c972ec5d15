// `self.id` exists only inside a domain.
// error: LX0506 @ 4:10
fn who() -> string {
  return self.id
}
domain T {
  state { x: int = 0 }
}
