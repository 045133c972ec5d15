// Patterns nest: variants inside variants, literals inside variants, bindings anywhere.
// call: T[t].Run()
//   reply: ["inner A", "wrapped b", "code 7", "other 9", "empty"]
enum Inner { A, B(name: string) }
enum Outer { Wrap(i: Inner), Code(n: int), Empty }
domain T {
  state { x: int = 0 }
  transition Run() {
    var out: list<string> = []
    for o in [Wrap(i: A), Wrap(i: B(name: "b")), Code(n: 7), Code(n: 9), Empty] {
      match o {
        Wrap(A) => { out.push("inner A") }
        Wrap(B(name)) => { out.push("wrapped {name}") }
        Code(7) => { out.push("code 7") }
        Code(n) => { out.push("other {n}") }
        Empty => { out.push("empty") }
      }
    }
    return out
  }
}
