// Indexing json past the end (or a non-array) traps LX-CAST.
// call: T[t].Run(j: [1])
//   trap: LX-CAST
//   message: no element 3
domain T {
  state { x: int = 0 }
  transition Run(j: json) {
    return j[3] as int
  }
}
