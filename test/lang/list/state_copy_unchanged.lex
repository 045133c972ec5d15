// A local copy of a state list is independent: pushing to it leaves the field alone.
// call: T[t].Run()
//   reply: [[1, 2, 3], [1, 2]]
// state: T[t] = {"xs": [1, 2]}
domain T {
  state { xs: list<int> = [1, 2] }
  transition Run() {
    var local = xs
    local.push(3)
    return [local, xs]
  }
}
