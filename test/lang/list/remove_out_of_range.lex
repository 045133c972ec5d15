// `remove` of a missing index traps LX-INDEX.
// call: T[t].Run()
//   trap: LX-INDEX
domain T {
  state { x: int = 0 }
  transition Run() {
    var xs = [1]
    xs.remove(1)
  }
}
