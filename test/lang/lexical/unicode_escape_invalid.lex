// `\u{…}` must name a Unicode scalar value: surrogates and values past 10FFFF are errors.
// error: LX0003 @ 8:14
// error: LX0003 @ 9:14
// error: LX0003 @ 10:14
domain T {
  state { x: int = 0 }
  transition Run() {
    let a = "\u{D800}"
    let b = "\u{110000}"
    let c = "\u41"
    return [a, b, c]
  }
}
