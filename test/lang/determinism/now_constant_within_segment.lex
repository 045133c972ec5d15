// `now()` does not move while a segment runs.
// now: 5000
// call: T[t].Run()
//   reply: [5000, 5000]
domain T {
  state { x: int = 0 }
  transition Run() {
    let a = now()
    var s = 0
    for i in 0..1000 { s += i }
    return [a, now()]
  }
}
