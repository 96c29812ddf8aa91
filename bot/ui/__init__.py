"""What a person sees and taps: screens, keyboards, callback data, FSM states."""
