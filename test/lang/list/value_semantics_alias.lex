// Value semantics: changing a copy never changes the original.
// call: T[t].Run()
//   reply: [[1], [1, 2], [9, 2]]
domain T {
  state { x: int = 0 }
  transition Run() {
    let a = [1]
    var b = a
    b.push(2)
    var c = b
    c[0] = 9
    return [a, b, c]
  }
}
