// A variant pattern must give one sub-pattern per field.
// error: LX0214 @ 9:7
enum Shape { Rect(w: int, h: int), Dot }
domain T {
  state { s: Shape = Dot }
  transition Run() {
    var n = 0
    match s {
      Rect(w) => { n = w }
      Dot => { n = 0 }
    }
    return n
  }
}
