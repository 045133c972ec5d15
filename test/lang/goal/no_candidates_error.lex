// A goal without `via` needs at least one parameterless transition.
// error: LX0607 @ 5:8
domain T {
  state { n: int = 0 }
  goal G { n > 0 }
  transition Set(v: int) { n = v }
}
