// `{}` is an empty map where a map is expected.
// call: T[t].Run()
//   reply: 0
domain T {
  state { x: int = 0 }
  transition Run() {
    let m: map<string, int> = {}
    return len(m)
  }
}
