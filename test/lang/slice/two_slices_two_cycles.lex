// Each slice end is a commit point; the last slice's end and the transition's end count once.
// call: T[t].Run()
// cycle: T[t] = 2
// state: T[t] = {"x": 2}
domain T {
  state { x: int = 0 }
  transition Run() {
    slice a { x = 1 }
    slice b { x = 2 }
  }
}
