// An int must be an integral JSON number: 1.5 does not cast to int.
// call: T[t].Run(j: 1.5)
//   trap: LX-CAST
// call: T[t].Run(j: 2)
//   reply: 2
domain T {
  state { x: int = 0 }
  transition Run(j: json) {
    return j as int
  }
}
