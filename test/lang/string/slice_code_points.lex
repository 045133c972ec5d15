// `slice` of a string works on code points, half-open and clamped.
// call: T[t].Run()
//   reply: ["😀", "abc", "", "b😀", ""]
domain T {
  state { x: int = 0 }
  transition Run() {
    let s = "a😀b"
    return [slice(s, 1, 2), slice("abc", -5, 10), slice("abc", 2, 1), "ab😀c".slice(1, 3), slice("abc", 3, 9)]
  }
}
