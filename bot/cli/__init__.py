"""The operator's commands: `anabot shelters | texts | stats | export | report | places`."""
