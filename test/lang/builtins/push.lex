// `push(xs, x)` / `xs.push(x)` appends to a variable or state field.
// call: T[t].Run()
//   reply: [1, 2, 3]
// state: T[t] = {"xs": [1, 2, 3]}
domain T {
  state { xs: list<int> = [1] }
  transition Run() {
    push(xs, 2)
    xs.push(3)
    return xs
  }
}
