// An arm after a catch-all can never match.
// error: LX0402 @ 10:7
enum Status { Open, Paid }
domain T {
  state { s: Status = Open }
  transition Run() {
    var n = 0
    match s {
      _ => { n = 1 }
      Open => { n = 2 }
    }
    return n
  }
}
