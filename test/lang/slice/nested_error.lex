// `slice` blocks appear only at the top level of a transition.
// error: LX0108 @ 7:7
domain T {
  state { x: int = 0 }
  transition Run() {
    if true {
      slice inner { x = 1 }
    }
  }
}
