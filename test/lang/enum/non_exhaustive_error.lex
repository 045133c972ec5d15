// A match missing variants is an error at `match`, with a note listing the missing ones.
// error: LX0401 @ 9:5
//   note: missing: `Paid`, `Failed(_)`
enum Status { Open, Charging, Paid, Failed(reason: string) }
domain T {
  state { s: Status = Open }
  transition Run() {
    var n = 0
    match s {
      Open => { n = 1 }
      Charging => { n = 2 }
    }
    return n
  }
}
