// `@fuel` may be given once per program.
// error: LX0202 @ 4:1
@fuel(100)
@fuel(200)
domain T {
  state { x: int = 0 }
}
