// Lists of lists, updated through nested places with value semantics.
// call: T[t].Run()
//   reply: [[[1, 2], [9]], [[1, 2], [3]]]
domain T {
  state { x: int = 0 }
  transition Run() {
    let orig = [[1, 2], [3]]
    var m = orig
    m[1][0] = 9
    return [m, orig]
  }
}
