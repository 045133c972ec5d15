// `\u{…}` names a code point with 1–6 hex digits; an astral one is one character.
// call: T[t].Run()
//   reply: "1 3 Aé😀"
domain T {
  state { x: int = 0 }
  transition Run() {
    let face = "\u{1F600}"
    return "{len(face)} {len("\u{10FFFF}a\u{0}")} \u{41}\u{e9}{face}"
  }
}
