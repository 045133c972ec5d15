// An effect declaration needs `-> T`.
// error: LX0508 @ 3:11
effect Ns.op(n: int)
domain T {
  state { x: int = 0 }
}
