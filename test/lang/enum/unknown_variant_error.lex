// A variant the enum does not have is reported (with a suggestion).
// error: LX0205 @ 8:16
//   message: did you mean `Open`
enum Status { Open, Paid }
domain T {
  state { s: Status = Open }
  transition Run() {
    s = Status.Opn
  }
}
