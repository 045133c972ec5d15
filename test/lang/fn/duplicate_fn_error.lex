// A top-level fn declared twice is an error.
// error: LX0202 @ 4:4
fn f() -> int { return 1 }
fn f() -> int { return 2 }
domain T {
  state { x: int = 0 }
}
