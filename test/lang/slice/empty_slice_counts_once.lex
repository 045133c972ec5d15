// Adjacent commit points with no code between them count once.
// call: T[t].Run()
// cycle: T[t] = 2
domain T {
  state { x: int = 0 }
  transition Run() {
    slice a { x = 1 }
    slice b { }
    slice c { x = 3 }
  }
}
