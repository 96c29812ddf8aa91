"""The staff side: case cards, case threads, alerts, applications, outcomes, cleanup."""
