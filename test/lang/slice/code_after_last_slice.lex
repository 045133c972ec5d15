// Code after the last slice is a segment of its own: three commit points here.
// call: T[t].Run()
// cycle: T[t] = 3
domain T {
  state { x: int = 0 }
  transition Run() {
    slice a { x = 1 }
    slice b { x = 2 }
    x = 3
  }
}
