// `trim` strips ASCII whitespace at both ends.
// call: T[t].Run()
//   reply: ["a b", "c"]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [trim(" a b\t"), "\n c \r".trim()]
  }
}
