// An optional does not interpolate: unwrap it first.
// error: LX0310 @ 8:14
//   message: unwrap it with `??`
domain T {
  state { x: int = 0 }
  transition Run() {
    let v: int? = 3
    return "{v}"
  }
}
