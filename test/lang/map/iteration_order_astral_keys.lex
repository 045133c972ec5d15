// Map and set order is by code point: U+FFFF comes before U+1F600 (UTF-16 units would say otherwise).
// call: T[t].Run()
//   reply: [["\uffff", "😀"], ["\uffff", "😀"]]
domain T {
  state { x: int = 0 }
  transition Run() {
    var m: map<string, int> = {}
    m.insert("😀", 1)
    m.insert("\u{FFFF}", 2)
    var s: set<string> = {}
    s.insert("😀")
    s.insert("\u{FFFF}")
    var fromSet: list<string> = []
    for x in s { fromSet.push(x) }
    return [keys(m), fromSet]
  }
}
