// Without `via` a goal reconciles with the domain's parameterless transitions.
// call: T[t].Fix()
// state: T[t] = {"ok": true}
domain T {
  state { ok: bool = false }
  goal Fixed { ok }
  transition Fix() { ok = true }
  transition Set(v: bool) { ok = v }
}
