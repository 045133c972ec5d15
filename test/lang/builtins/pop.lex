// `pop` removes and returns the last element as `T?`, as a function, a method or a statement.
// call: T[t].Run()
//   reply: [4, 3, null]
// state: T[t] = {"xs": [1]}
domain T {
  state { xs: list<int> = [1, 2, 3, 4] }
  transition Run() {
    let a = pop(xs)
    let b = xs.pop()
    xs.pop()
    var e: list<int> = []
    let c = e.pop()
    return [a, b, c]
  }
}
