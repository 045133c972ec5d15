// Committed slices are never rolled back: a failure discards only the failing segment.
// call: T[t].Run()
//   trap: LX-FAIL
// state: T[t] = {"x": 1, "log": ["a"]}
// cycle: T[t] = 2
domain T {
  state { x: int = 0, log: list<string> = [] }
  transition Run() {
    slice a { x = 1; log.push("a") }
    slice b { x = 2; log.push("b"); fail "b failed" }
  }
}
