// A `via` transition must have no parameters (note at its declaration).
// error: LX0602 @ 6:24
//   note: @ 7:14 declared here
domain T {
  state { n: int = 0 }
  goal G { n > 0 } via Set
  transition Set(v: int) { n = v }
}
