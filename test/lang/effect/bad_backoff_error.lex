// Backoff needs 0 < smallest ≤ largest; retries take an integer literal.
// error: LX0508 @ 5:3
// error: LX0508 @ 8:11
effect A.op() -> int {
  backoff 10s..1s
}
effect B.op() -> int {
  retries many
}
domain T {
  state { x: int = 0 }
}
