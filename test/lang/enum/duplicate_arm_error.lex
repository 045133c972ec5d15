// An arm already covered by an earlier one is unreachable.
// error: LX0402 @ 11:7
enum Status { Open, Paid }
domain T {
  state { s: Status = Open }
  transition Run() {
    var n = 0
    match s {
      Open => { n = 1 }
      Paid => { n = 2 }
      Open => { n = 3 }
    }
    return n
  }
}
