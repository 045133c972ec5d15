// Maps with int keys iterate in ascending numeric order.
// call: T[t].Run()
//   reply: [["-5", "2", "10"], ["m", "b", "a"]]
domain T {
  state { x: int = 0 }
  transition Run() {
    let m = {10: "a", -5: "m", 2: "b"}
    return [to_s(keys(m)), m.values()]
  }
  fn to_s(xs: list<int>) -> list<string> {
    var out: list<string> = []
    for x in xs { out.push("{x}") }
    return out
  }
}
