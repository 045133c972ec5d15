// `has`/`contains` on strings test for a substring.
// call: T[t].Run()
//   reply: [true, false, true]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [contains("hello", "ell"), "hello".has("xyz"), has("héllo", "é")]
  }
}
