// `push` appends; `pop` removes the last element and returns it as `T?` (none when empty).
// call: T[t].Run()
//   reply: [3, 2, null, 0]
domain T {
  state { x: int = 0 }
  transition Run() {
    var xs = [1, 2]
    xs.push(3)
    let a = xs.pop()
    let b = pop(xs)
    var e: list<int> = []
    let c = e.pop()
    xs.pop()
    return [a ?? 0, b ?? 0, c, len(xs)]
  }
}
