// Durations are ints of milliseconds: ms, s, m, h, d (with `_` separators).
// call: T[t].Run()
//   reply: [250, 30000, 300000, 7200000, 86400000, 1500]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [250ms, 30s, 5m, 2h, 1d, 1_500ms]
  }
}
