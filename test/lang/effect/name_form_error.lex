// An effect name must be `Namespace.operation`.
// error: LX0220 @ 3:8
effect charge(amount: int) -> int
domain T {
  state { x: int = 0 }
}
