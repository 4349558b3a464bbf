"""``python -m bot`` does what ``tiepdan`` does."""

import sys

from bot.cli import main

sys.exit(main())
