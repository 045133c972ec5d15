// An empty list takes its type from an annotation, parameter or field.
// call: T[t].Run()
//   reply: [0, 1]
// state: T[t] = {"xs": [5]}
domain T {
  state { xs: list<int> = [] }
  transition Run() {
    let ys: list<string> = []
    xs = []
    xs.push(5)
    return [len(ys), len(xs)]
  }
}
