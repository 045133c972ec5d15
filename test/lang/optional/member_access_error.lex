// Field access on an optional is an error (unwrap with `if let` or `??`).
// error: LX0305 @ 7:14
type P { a: int }
domain T {
  state { p: P? = none }
  transition Run() {
    return p.a
  }
}
