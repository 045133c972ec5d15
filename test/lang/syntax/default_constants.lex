// Constant defaults: literals, durations, unary minus, folded arithmetic, constructors of constants, none.
// call: T[t].Get()
//   reply: {"a": -3, "b": 7, "c": 60000, "d": {"$tag": "Failed", "reason": "x"}, "e": null, "f": {"p": 1, "q": [2]}, "g": {"k": 1}, "h": [1, 2]}
enum S { Open, Failed(reason: string) }
type R { p: int, q: list<int> }
type All { a: int, b: int, c: int, d: S, e: int?, f: R, g: map<string, int>, h: set<int> }
domain T {
  state {
    a: int = -3
    b: int = 1 + 2 * 3
    c: int = 1m
    d: S = Failed(reason: "x")
    e: int? = none
    f: R = R { p: 1, q: [2] }
    g: map<string, int> = {"k": 1}
    h: set<int> = {2, 1}
  }
  transition Get() { return All { a: a, b: b, c: c, d: d, e: e, f: f, g: g, h: h } }
}
