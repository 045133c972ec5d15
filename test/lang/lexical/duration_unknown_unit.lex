// A number glued to an unknown unit is reported at the unit.
// error: LX0008 @ 6:14
domain T {
  state { x: int = 0 }
  transition Run() {
    let d = 5w
    return d
  }
}
