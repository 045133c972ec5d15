// A transition without slices or awaits is one cycle.
// call: T[t].Run()
// cycle: T[t] = 1
domain T {
  state { x: int = 0 }
  transition Run() { x = 1; x = 2 }
}
