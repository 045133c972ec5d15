// Enum values are JSON as {"$tag": …} with the variant's fields.
// call: T[t].Run()
//   reply: [{"$tag": "Open"}, {"$tag": "Failed", "reason": "x"}]
// state: T[t] = {"s": {"$tag": "Failed", "reason": "late"}}
enum Status { Open, Failed(reason: string) }
domain T {
  state { s: Status = Open }
  transition Run() {
    s = Failed(reason: "late")
    return [Open, Failed(reason: "x")]
  }
}
