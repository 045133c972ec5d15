// `reverse` reverses a list in place.
// call: T[t].Run()
//   reply: [[3, 2, 1], [1, 2, 3]]
domain T {
  state { xs: list<int> = [1, 2, 3] }
  transition Run() {
    var a = xs
    reverse(a)
    var b = a
    b.reverse()
    return [a, b]
  }
}
