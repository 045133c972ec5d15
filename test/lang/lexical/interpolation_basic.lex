// `{expr}` in a string interpolates any expression.
// call: T[o-1].Run(items: [1, 2, 3])
//   reply: "order o-1 has 3 items"
domain T {
  state { x: int = 0 }
  transition Run(items: list<int>) {
    let id = self.id
    return "order {id} has {len(items)} items"
  }
}
