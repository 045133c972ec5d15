// Recovery after an unclosed delimiter continues at the enclosing block: every later error is reported.
// error: LX0102 @ 9:16
// error: LX0201 @ 10:9
// error: LX0301 @ 13:9
// error: LX0301 @ 15:24
domain T {
  state { x: int = 0 }
  transition A() {
    assert len([1, 2) > 0
    x = y
  }
  transition B() {
    x = "no"
  }
  transition C() { x = true }
}
