// `return` inside a slice ends the transition; later slices do not run.
// call: T[t].Run()
//   reply: 1
// state: T[t] = {"x": 1}
// cycle: T[t] = 1
domain T {
  state { x: int = 0 }
  transition Run() {
    slice a {
      x = 1
      if x == 1 { return x }
    }
    slice b { x = 2 }
  }
}
