// Two top-level declarations with one name are an error (with a note at the first).
// error: LX0202 @ 7:8
//   note: first declared here
domain T {
  state { x: int = 0 }
}
domain T {
  state { y: int = 0 }
}
