// Prelude declarations cannot be redeclared.
// error: LX0222 @ 4:8
// error: LX0222 @ 5:6
effect Log.write(message: string) -> bool
type EffectError { code: string }
domain T {
  state { x: int = 0 }
}
