// `intersection` keeps the elements in both sets.
// call: T[t].Run()
//   reply: [[2], []]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [intersection({1, 2}, {2, 3}), {4}.intersection({5})]
  }
}
