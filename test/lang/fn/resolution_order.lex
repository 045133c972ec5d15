// A call resolves to a domain fn, then a top-level fn, then a built-in.
// call: T[t].Run()
//   reply: ["domain", "top", "3"]
fn which() -> string { return "top" }
fn other() -> string { return "top" }
fn len(s: string) -> int { return 3 }
domain T {
  state { x: int = 0 }
  transition Run() {
    return [which(), other(), "{len("a")}"]
  }
  fn which() -> string { return "domain" }
}
