"""Middlewares around each update and each request to Telegram, one per module."""
