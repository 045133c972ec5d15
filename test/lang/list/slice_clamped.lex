// `slice(xs, a, b)` is half-open and clamped to the list.
// call: T[t].Run()
//   reply: [[2, 3], [1, 2, 3, 4], [], [4]]
domain T {
  state { x: int = 0 }
  transition Run() {
    let xs = [1, 2, 3, 4]
    return [slice(xs, 1, 3), xs.slice(-2, 99), xs.slice(3, 1), slice(xs, 3, 4)]
  }
}
