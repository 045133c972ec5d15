// A path from a `let` is not assignable: the root must be a `var` or a state field.
// error: LX0404 @ 8:5
type P { a: int }
domain T {
  state { x: int = 0 }
  transition Run() {
    let p = P { a: 1 }
    p.a = 2
    x = p.a
  }
}
