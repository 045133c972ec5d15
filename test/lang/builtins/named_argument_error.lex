// Built-in arguments are positional.
// error: LX0115 @ 6:24
domain T {
  state { x: int = 0 }
  transition Run() {
    return join(["a"], sep: ",")
  }
}
