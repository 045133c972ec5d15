// `* / %` bind tighter than `+ -`; both are left-associative; parentheses group.
// call: T[t].Run()
//   reply: [7, 2, 9, 3, -1, 1]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [1 + 2 * 3, 8 / 2 / 2, (1 + 2) * 3, 10 - 4 - 3, 1 - 2 * 3 + 4 % 3 * 4, 7 % 4 % 2]
  }
}
