// A domain is not a type.
// error: LX0203 @ 7:14
domain Other {
  state { x: int = 0 }
}
domain T {
  state { o: Other? = none }
}
