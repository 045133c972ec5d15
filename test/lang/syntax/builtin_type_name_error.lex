// A declaration cannot take a built-in type's name.
// error: LX0216 @ 3:6
type string { a: int }
domain T {
  state { x: int = 0 }
}
