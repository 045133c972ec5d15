// `insert(xs, i, x)` inserts before index i; `remove(xs, i)` removes index i.
// call: T[t].Run()
//   reply: [0, 9, 1, 3]
domain T {
  state { x: int = 0 }
  transition Run() {
    var xs = [1, 2, 3]
    xs.insert(0, 0)
    insert(xs, 1, 9)
    xs.remove(3)
    remove(xs, 2)
    xs.insert(len(xs), 3)
    xs.remove(3)
    xs.push(3)
    xs.remove(2)
    xs.insert(2, 1)
    xs.remove(3)
    xs.push(3)
    return xs
  }
}
