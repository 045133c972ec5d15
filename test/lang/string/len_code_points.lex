// `len` of a string counts code points, not UTF-16 units or bytes.
// call: T[t].Run()
//   reply: [5, 6, 0, 1]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [len("héllo"), "héllo😀".len(), len(""), len("\u{1F600}")]
  }
}
