"""Tests for Tiếp Dân: real code on real SQLite files; only the Bot API is faked."""
