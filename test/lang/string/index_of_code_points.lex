// `index_of` on strings gives a code-point index, or none.
// call: T[t].Run()
//   reply: [2, null, 0, 1]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [index_of("😀😀ab", "a"), index_of("abc", "z"), "abc".index_of(""), "abcabc".index_of("bc")]
  }
}
