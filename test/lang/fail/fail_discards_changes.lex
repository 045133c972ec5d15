// A failed transition's uncommitted changes are discarded.
// call: T[t].Run()
//   trap: LX-FAIL
// state: T[t] = {"x": 0, "xs": []}
// cycle: T[t] = 1
domain T {
  state { x: int = 0, xs: list<int> = [] }
  transition Run() {
    x = 5
    xs.push(1)
    fail "undo"
  }
}
