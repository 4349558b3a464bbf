"""Conversation handlers: citizen flows, staff and official commands. No Telegram here."""
