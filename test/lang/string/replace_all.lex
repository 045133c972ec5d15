// `replace` replaces every occurrence; replacing "" is a no-op.
// call: T[t].Run()
//   reply: ["bbb", "a-b-c", "abc", "xaax"]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [replace("aaa", "a", "b"), "a b c".replace(" ", "-"), replace("abc", "", "x"), replace("yaay", "y", "x")]
  }
}
