// `+=`, `-=` and `*=` update an int in place.
// call: T[t].Run()
//   reply: 12
// state: T[t] = {"x": 12}
domain T {
  state { x: int = 1 }
  transition Run() {
    x += 5
    x -= 2
    x *= 3
    return x
  }
}
