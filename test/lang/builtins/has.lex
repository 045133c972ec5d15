// `has` on map keys, sets, lists and strings.
// call: T[t].Run()
//   reply: [true, false, true, true, true, false]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [has({"a": 1}, "a"), {"a": 1}.has("b"), has({1, 2}, 2), [1, 2].has(1), has("abc", "bc"), "abc".has("d")]
  }
}
