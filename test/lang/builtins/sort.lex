// `sort` sorts an int, float or string list in place, as a function or a method.
// call: T[t].Run()
//   reply: [1, 2, 3]
// state: T[t] = {"names": ["a", "b"]}
domain T {
  state { names: list<string> = ["b", "a"] }
  transition Run() {
    var xs = [3, 1, 2]
    sort(xs)
    names.sort()
    return xs
  }
}
