// `+=`, `-=`, `*=` on float places.
// call: T[t].Run()
//   reply: 7.5
domain T {
  state { f: float = 1.0 }
  transition Run() {
    f += 2.0
    f *= 3.0
    f -= 1.5
    return f
  }
}
