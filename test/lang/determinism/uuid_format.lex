// A uuid has the version-4 layout: 8-4-4-4-12 hex digits, version 4, variant 10xx.
// call: T[t].Run()
//   reply: true
domain T {
  state { x: int = 0 }
  transition Run() {
    let u = uuid()
    let parts = split(u, "-")
    let variant = slice(parts[3], 0, 1)
    return len(u) == 36 && len(parts) == 5 && len(parts[0]) == 8 && slice(parts[2], 0, 1) == "4" && (variant == "8" || variant == "9" || variant == "a" || variant == "b")
  }
}
