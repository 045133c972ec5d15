// Arms may be separated by commas, semicolons or newlines.
// call: T[t].Run(n: 3)
//   reply: 3
domain T {
  state { x: int = 0 }
  transition Run(n: int) {
    match n { 1 => { return 1 }, 2 => { return 2 }; _ => { return 3 } }
  }
}
