// LX-LIMIT: a string longer than the 64 MiB limit.
// call: T[t].Run(n: 26)
//   reply: 67108864
// call: T[t].Run(n: 27)
//   trap: LX-LIMIT
//   message: longer than
@fuel(100000000)
domain T {
  state { x: int = 0 }
  transition Run(n: int) {
    var s = "x"
    for i in 0..n { s = "{s}{s}" }
    return len(s)
  }
}
