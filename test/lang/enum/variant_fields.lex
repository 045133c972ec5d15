// A variant with fields is constructed with named arguments (any order) and matched by position.
// call: T[t].Run()
//   reply: "3x4 and r=2"
enum Shape { Rect(w: int, h: int), Circle(r: int) }
domain T {
  state { x: int = 0 }
  transition Run() {
    let shapes = [Rect(h: 4, w: 3), Circle(r: 2)]
    var out: list<string> = []
    for s in shapes {
      match s {
        Rect(a, b) => { out.push("{a}x{b}") }
        Circle(r) => { out.push("r={r}") }
      }
    }
    return out.join(" and ")
  }
}
