enum Status { Open, Charging, Paid, Failed(reason: string) }

domain Order {
  state { status: Status = Open }

  transition Describe() {
    match status {
      Open => { return "open" }
      Charging => { return "charging" }
    }
  }
}
