// An `if` without `else` just skips its block.
// call: T[t].Run(b: false)
//   reply: 0
domain T {
  state { x: int = 0 }
  transition Run(b: bool) {
    if b { x = 1 }
    return x
  }
}
