// Reading a member json does not have traps LX-CAST.
// call: T[t].Run(j: {"a": 1})
//   trap: LX-CAST
//   message: no member "b"
domain T {
  state { x: int = 0 }
  transition Run(j: json) {
    return j.b as int
  }
}
