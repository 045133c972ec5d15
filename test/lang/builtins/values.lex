// `values` lists a map's values in ascending key order.
// call: T[t].Run()
//   reply: [[2, 3, 1], [0]]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [values({"c": 1, "a": 2, "b": 3}), {"x": 0}.values()]
  }
}
