// Sets are equal when they hold the same elements.
// call: T[t].Run()
//   reply: [true, false]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [{1, 2} == {2, 1, 1}, {1} == {1, 2}]
  }
}
