"""Use cases: the business steps a handler starts (open a case, take it, relay a message).

Handlers translate Telegram in and out and call these; these call services (rules) and storage,
and post to the staff through the workspace modules. Each takes the `Desk`, not its parts.
"""
