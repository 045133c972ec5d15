// `_` matches any remaining variant.
// call: T[t].Run()
//   reply: "other"
enum Status { Open, Charging, Paid }
domain T {
  state { s: Status = Paid }
  transition Run() {
    match s {
      Open => { return "open" }
      _ => { return "other" }
    }
  }
}
