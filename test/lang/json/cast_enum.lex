// An enum casts from its {"$tag": …} form.
// call: T[t].Run(j: {"$tag": "Failed", "reason": "x"})
//   reply: "failed: x"
enum Status { Open, Failed(reason: string) }
domain T {
  state { x: int = 0 }
  transition Run(j: json) {
    match j as Status {
      Open => { return "open" }
      Failed(r) => { return "failed: {r}" }
    }
  }
}
