// `contains`/`has` and `index_of` compare elements structurally.
// call: T[t].Run()
//   reply: [true, false, true, true, false]
type P { a: int }
domain T {
  state { x: int = 0 }
  transition Run() {
    let xs = [P { a: 1 }, P { a: 2 }]
    return [xs.contains(P { a: 2 }), contains(xs, P { a: 3 }), has([1, 2], 2), index_of(xs, P { a: 2 }) == 1, xs.index_of(P { a: 5 }) != none]
  }
}
