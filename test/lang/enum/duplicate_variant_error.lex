// A variant declared twice is an error at the second one.
// error: LX0202 @ 3:21
enum Status { Open, Open }
domain T {
  state { x: int = 0 }
}
