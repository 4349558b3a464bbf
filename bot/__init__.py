"""Tiếp Dân: a chat bot for a Vietnamese provincial citizen-reception board."""

__version__ = "0.1.0"
