// Casts to lists, maps and optionals.
// call: T[t].Run(j: {"xs": [1, 2], "m": {"k": true}, "o": null})
//   reply: [3, 1, 1]
domain T {
  state { x: int = 0 }
  transition Run(j: json) {
    let xs = j.xs as list<int>
    let m = j.m as map<string, bool>
    let o = j.o as int?
    var n = 0
    if m["k"] { n = 1 }
    return [sum(xs), n, (o ?? 1)]
  }
}
