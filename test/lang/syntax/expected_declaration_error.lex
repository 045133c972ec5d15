// Only declarations may appear at the top level.
// error: LX0105 @ 3:1
let x = 1
domain T {
  state { x: int = 0 }
}
