// A field declared twice in a type is an error.
// error: LX0202 @ 3:21
type Item { a: int, a: string }
domain T {
  state { x: int = 0 }
}
