"""Pure rules and models: no I/O, no imports from outside ``bot.domain``."""
