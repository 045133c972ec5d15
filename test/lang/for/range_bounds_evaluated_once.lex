// The range end is evaluated once at loop start.
// call: T[t].Run()
//   reply: 3
domain T {
  state { n: int = 3 }
  transition Run() {
    var count = 0
    for i in 0..n {
      n += 1
      count += 1
    }
    return count
  }
}
