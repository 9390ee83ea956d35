"""PyInstaller entry point: the same ``kamdesk`` command as the console script."""

from __future__ import annotations

from kamdesk.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
