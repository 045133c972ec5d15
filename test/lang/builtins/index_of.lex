// `index_of` on lists and strings returns `int?`.
// call: T[t].Run()
//   reply: [1, null, 2, null]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [index_of([5, 6], 6), [5].index_of(9), index_of("abc", "c"), "abc".index_of("z")]
  }
}
