// `xs[i] = v` replaces one element of a var or state list.
// call: T[t].Run()
//   reply: [[1, 7], [5, 2]]
// state: T[t] = {"xs": [5, 2]}
domain T {
  state { xs: list<int> = [1, 2] }
  transition Run() {
    var ys = [1, 2]
    ys[1] = 7
    xs[0] = 5
    return [ys, xs]
  }
}
