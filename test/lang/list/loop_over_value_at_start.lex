// A loop iterates over the list's value at loop start: pushing inside does not extend it.
// call: T[t].Run()
//   reply: [1, 2, 3, 2, 4, 6]
// state: T[t] = {"xs": [1, 2, 3, 2, 4, 6]}
domain T {
  state { xs: list<int> = [1, 2, 3] }
  transition Run() {
    for v in xs { xs.push(v * 2) }
    return xs
  }
}
