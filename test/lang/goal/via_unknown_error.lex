// A `via` name must be a transition of the domain.
// error: LX0209 @ 5:24
domain T {
  state { n: int = 0 }
  goal G { n > 0 } via Bump
  transition Up() { n += 1 }
}
