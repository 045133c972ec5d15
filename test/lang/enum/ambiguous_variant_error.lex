// A bare variant name shared by two enums is ambiguous without an expected type.
// error: LX0206 @ 9:13
//   message: write `A.Same`
enum A { Same, Only }
enum B { Same }
domain T {
  state { x: int = 0 }
  transition Run() {
    let v = Same
    assert v == v
  }
}
