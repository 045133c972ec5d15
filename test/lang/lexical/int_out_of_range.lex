// Integer literals are limited to ±(2^53−1); 2^53 is out of range.
// error: LX0005 @ 7:14
domain T {
  state { x: int = 0 }
  transition Run() {
    let ok = 9007199254740991
    let no = 9007199254740992
    return ok + no
  }
}
