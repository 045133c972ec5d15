// Locals live across slice boundaries.
// call: T[t].Run()
//   reply: 6
domain T {
  state { x: int = 0 }
  transition Run() {
    var total = 1
    slice a { total += 2 }
    slice b { total += 3 }
    return total
  }
}
