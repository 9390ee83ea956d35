"""``python -m kamdesk.server`` runs the ``kamdesk server`` command."""

from __future__ import annotations

import sys

from kamdesk.server.cli import main

if __name__ == "__main__":
    sys.exit(main())
