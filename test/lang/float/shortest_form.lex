// Floats print in ECMAScript shortest round-trip form.
// call: T[t].Run()
//   reply: ["0.30000000000000004", "1e+21", "1", "0.000001", "1e-7", "-2.5", "123456789012345680000"]
domain T {
  state { x: int = 0 }
  transition Run() {
    return [to_string(0.1 + 0.2), to_string(1e21), to_string(1.0), to_string(0.000001), to_string(1e-7), to_string(-2.5), to_string(123456789012345678901.0)]
  }
}
