// `now()` is not allowed in goals (they must be pure).
// error: LX0502 @ 5:20
domain T {
  state { t: int = 0 }
  goal Fresh { t > now() } via Touch
  transition Touch() { t = 1 }
}
