"""Alembic's migration environment and history (storage.migrate runs them)."""
