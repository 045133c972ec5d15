// Two goals with one name in a domain is an error.
// error: LX0605 @ 6:8
domain T {
  state { n: int = 0 }
  goal G { n > 0 } via Up
  goal G { n > 1 } via Up
  transition Up() { n += 1 }
}
