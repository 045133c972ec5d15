// `len` of a list, map, set and string, as a function and as a method.
// call: T[t].Run()
//   reply: [3, 2, 1, 4, 3, 2]
domain T {
  state { x: int = 0 }
  transition Run() {
    let xs = [1, 2, 3]
    return [len(xs), len({"a": 1, "b": 2}), len({7}), len("abcd"), xs.len(), "é😀".len()]
  }
}
