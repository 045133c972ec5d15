// LX-FUEL: a slice that runs past its fuel budget (`@fuel(N)`) traps.
// call: T[t].Run(n: 10)
//   reply: 45
// call: T[t].Run(n: 1000)
//   trap: LX-FUEL
//   message: 1000 instructions
@fuel(1000)
domain T {
  state { x: int = 0 }
  transition Run(n: int) {
    var s = 0
    for i in 0..n { s += i }
    return s
  }
}
