// A block comment without `*/` is reported at its opening `/*`.
// error: LX0006 @ 6:1
domain T {
  state { x: int = 0 }
}
/* never closed
