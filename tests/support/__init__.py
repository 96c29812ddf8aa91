"""Helpers shared by the test families (unit, flows, e2e, chaos): no test module imports another.

Expected texts: a test states what the person sees as a literal string in one language (the
wording is the point of the test); a test that runs over kk, ru and en renders the Fluent id
through `tests.support.texts.t`, which uses the bot's own loader (bot/i18n.py).
"""
