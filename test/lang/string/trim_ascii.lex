// `trim` strips ASCII whitespace at both ends only.
// call: T[t].Run()
//   reply: ["x y", "\u00a0x", "a"]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [trim("  \t x y \n\r"), trim("\u{A0}x"), " a ".trim()]
  }
}
