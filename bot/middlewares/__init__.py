"""Middlewares, one per file: what every update and every outgoing request passes."""
