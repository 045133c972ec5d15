// `m["k"].f = v` updates a record inside a map with value semantics (aliases keep the old value).
// call: T[t].Run()
//   reply: [{"qty": 5}, {"qty": 1}]
type Line { qty: int }
domain T {
  state { lines: map<string, Line> = {"k": Line { qty: 1 }} }
  transition Run() {
    let before = lines
    lines["k"].qty = 5
    return [lines["k"], before["k"]]
  }
}
