// A bare name at the top of a pattern must name a variant (use `_` for a catch-all).
// error: LX0205 @ 9:7
//   message: use `_` to match anything
enum Status { Open, Paid }
domain T {
  state { s: Status = Open }
  transition Run() {
    match s {
      other => { return 1 }
    }
  }
}
