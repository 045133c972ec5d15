// A match over a result must handle `Err` too.
// error: LX0401 @ 8:5
//   note: `Err(_)`
domain T {
  state { x: int = 0 }
  transition Run() {
    let r: result<int> = Ok(1)
    match r {
      Ok(v) => { x = v }
    }
  }
}
