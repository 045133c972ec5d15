// Integer literals: decimal, `_` separators and hexadecimal (either case).
// call: T[t].Run()
//   reply: [42, 1000, 31, 31, 1000000, 255]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [42, 1_000, 0x1f, 0x1F, 1_000_000, 0xF_F]
  }
}
