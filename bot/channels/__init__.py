"""Channels: platform updates ⇄ Incoming / Reply (Telegram, the terminal, later Zalo)."""
