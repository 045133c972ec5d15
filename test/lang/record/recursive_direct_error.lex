// A record that contains itself directly would be infinite.
// error: LX0320 @ 3:6
type A { b: B }
type B { a: A }
domain T {
  state { x: int = 0 }
}
