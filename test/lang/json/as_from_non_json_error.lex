// `as` converts only from json (numbers use to_float/to_int).
// error: LX0314 @ 7:12
//   message: to_float/to_int
domain T {
  state { x: int = 0 }
  transition Run(n: int) {
    return n as float
  }
}
