"""Follow-ups: the runner that sends due rows, the ticker that wakes it, the retention purge."""
