"""Message catalogs (gettext .po files), shipped inside the wheel."""
