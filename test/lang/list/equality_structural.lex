// Lists are equal when their elements are equal, in order.
// call: T[t].Run()
//   reply: [true, false, false]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [[1, 2] == [1, 2], [1, 2] == [2, 1], [[1]] != [[1]]]
  }
}
