// Every escape: \n \t \r \" \\ \{ \}.
// call: T[t].Run()
//   reply: "a\nb\tc\rd\"e\\f{g}"
domain T {
  state { x: int = 0 }
  transition Run() {
    return "a\nb\tc\rd\"e\\f\{g\}"
  }
}
