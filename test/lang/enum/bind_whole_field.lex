// A nested bare name binds the field's value (here an enum value, compared afterwards).
// call: T[t].Run()
//   reply: true
enum Inner { A, B }
enum Outer { Wrap(i: Inner), Empty }
domain T {
  state { o: Outer = Wrap(i: B) }
  transition Run() {
    match o {
      Wrap(inner) => { return inner == B }
      Empty => { return false }
    }
  }
}
