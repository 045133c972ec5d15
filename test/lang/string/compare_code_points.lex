// Strings compare by code points: U+FFFF sorts before U+10000 (unlike UTF-16 units).
// call: T[t].Run()
//   reply: {"flags": [true, true, true, false], "sorted": ["a", "b", "ba", "\uffff", "😀"]}
type Out { flags: list<bool>, sorted: list<string> }
domain T {
  state { x: int = 0 }
  transition Run() {
    var xs = ["😀", "\u{FFFF}", "ba", "b", "a"]
    xs.sort()
    return Out { flags: ["\u{FFFF}" < "\u{10000}", "a" < "b", "ab" < "b", "b" <= "a"], sorted: xs }
  }
}
