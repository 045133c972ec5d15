// A set literal drops duplicates and is JSON as an ascending array.
// call: T[t].Run()
//   reply: [1, 2, 3]
domain T {
  state { x: int = 0 }
  transition Run() {
    return {3, 1, 2, 1}
  }
}
