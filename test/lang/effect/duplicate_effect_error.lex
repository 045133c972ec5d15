// An effect declared twice is an error at the second one (with a note at the first).
// error: LX0202 @ 5:8
//   note: first declared here
effect Ns.op() -> int
effect Ns.op() -> bool
domain T {
  state { x: int = 0 }
}
