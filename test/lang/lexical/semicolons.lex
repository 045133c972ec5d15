// `;` separates statements on one line.
// call: T[t].Run()
//   reply: [1, 2]
domain T {
  state { a: int = 0; b: int = 0 }
  transition Run() { a = 1; b = 2; return [a, b] }
}
