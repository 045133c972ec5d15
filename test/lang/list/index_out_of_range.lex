// Reading past the end traps LX-INDEX at the index expression.
// call: T[t].Run(i: 3)
//   trap: LX-INDEX @ 9:12
//   message: index 3 is out of range
domain T {
  state { x: int = 0 }
  transition Run(i: int) {
    let xs = [1, 2, 3]
    return xs[i]
  }
}
