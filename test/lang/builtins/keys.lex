// `keys` lists a map's keys in ascending order.
// call: T[t].Run()
//   reply: [["a", "b", "c"], ["x"]]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [keys({"c": 1, "a": 2, "b": 3}), {"x": 0}.keys()]
  }
}
