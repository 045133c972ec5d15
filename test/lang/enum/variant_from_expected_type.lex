// An expected type picks the enum of a shared variant name.
// call: T[t].Run()
//   reply: [true, true]
enum A { Same, Only }
enum B { Same }
type Pair { a: A, b: B }
domain T {
  state { a: A = Same, b: B = Same }
  transition Run() {
    let p = Pair { a: Same, b: Same }
    return [p.a == Same, p.b == Same]
  }
}
