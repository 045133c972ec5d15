// json values compare structurally (object key order does not matter).
// call: T[t].Run(a: {"x": [1, 2], "y": null}, b: {"y": null, "x": [1, 2]}, c: {"x": [2, 1]})
//   reply: [true, false]
domain T {
  state { x: int = 0 }
  transition Run(a: json, b: json, c: json) {
    return [a == b, a == c]
  }
}
