// `contains` is `has` by another name.
// call: T[t].Run()
//   reply: [true, false, true, true]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [contains({"a": 1}, "a"), {1}.contains(2), contains([3], 3), "xyz".contains("")]
  }
}
