// Patterns nest inside `Ok`: a literal, then a catch-all binding.
// call: T[t].Run(n: 0)
//   reply: "zero"
// call: T[t].Run(n: 3)
//   reply: "3"
domain T {
  state { x: int = 0 }
  transition Run(n: int) {
    let r: result<int> = Ok(n)
    match r {
      Ok(0) => { return "zero" }
      Ok(v) => { return "{v}" }
      Err(_) => { return "err" }
    }
  }
}
