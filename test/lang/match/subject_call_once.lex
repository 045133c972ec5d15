// The subject is evaluated once, even when it is a `pop` that changes its list.
// call: T[t].Run()
//   reply: [3, 2]
domain T {
  state { xs: list<int> = [1, 2, 3] }
  transition Run() {
    var got = 0
    match xs.pop() {
      none => { got = -1 }
      3 => { got = 3 }
      _ => { got = 0 }
    }
    return [got, len(xs)]
  }
}
