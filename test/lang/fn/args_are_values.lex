// Arguments are values: a `fn` changing its copy does not change the caller's.
// call: T[t].Run()
//   reply: [[1], [1, 2]]
fn grow(xs: list<int>) -> list<int> {
  var c = xs
  c.push(2)
  return c
}
domain T {
  state { xs: list<int> = [1] }
  transition Run() {
    let g = grow(xs)
    return [xs, g]
  }
}
