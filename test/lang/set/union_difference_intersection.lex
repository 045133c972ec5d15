// Set algebra: union, difference, intersection (results ascending).
// call: T[t].Run()
//   reply: [[1, 2, 3, 4], [1], [2, 3]]
domain T {
  state { x: int = 0 }
  transition Run() {
    let a = {1, 2, 3}
    let b = {4, 3, 2}
    return [union(a, b), a.difference(b), intersection(a, b)]
  }
}
