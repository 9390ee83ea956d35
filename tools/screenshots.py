"""Render screens of the app on demo data to docs/screenshots/ (offscreen; no display needed).

    python tools/screenshots.py [--demo PATH] [--only AREA]

Each module in tools/shots/ (other than context) is a recipe with ``take(ctx)``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--demo", type=Path, help="existing demo workspace (default: build one)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--language", default="zh_CN")
    parser.add_argument("--only", help="run only the recipe tools/shots/<ONLY>.py")
    args = parser.parse_args()

    import keyring

    from kamdesk.cli import DEMO_PASSPHRASE
    from kamdesk.db import keys
    from kamdesk.services.demo import build_demo_workspace
    from kamdesk.services.workspace import open_workspace
    from kamdesk.settings import Settings
    from kamdesk.ui.app import build_main_window, prepare_application
    from kamdesk.ui.dialogs.visit_services import VisitServices
    from tests.helpers.memory_keyring import MemoryKeyring
    from tools.shots.context import DEMO_NOW, DEMO_TODAY, ShotContext, inline_tasks

    keyring.set_keyring(MemoryKeyring())
    tmp = Path(tempfile.mkdtemp(prefix="kamdesk-shots-"))
    os.environ["KAMDESK_HOME"] = str(tmp)
    demo = args.demo or tmp / "demo.db"
    if not demo.exists():
        build_demo_workspace(demo, today=DEMO_TODAY, passphrase=DEMO_PASSPHRASE)
    passphrase = DEMO_PASSPHRASE if keys.read_keyinfo(demo).source == "passphrase" else None
    settings = Settings(language=args.language)
    app = prepare_application(settings)
    store = open_workspace(demo, passphrase=passphrase)
    window = build_main_window(store, demo=True, settings=settings)
    # the Today dock reads the machine's clock: pin it (and the visit form) to the demo's day
    services = VisitServices.from_store(store, now=lambda: DEMO_NOW)
    window.today_panel._services = services  # type: ignore[attr-defined]
    window.visit_services = services  # type: ignore[attr-defined]
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    with inline_tasks():
        window.today_panel.refresh()  # type: ignore[attr-defined]
    args.out.mkdir(parents=True, exist_ok=True)

    ctx = ShotContext(app=app, window=window, store=store, out=args.out)
    import tools.shots

    for info in pkgutil.iter_modules(tools.shots.__path__):
        if info.name == "context" or (args.only and info.name != args.only):
            continue
        recipe = importlib.import_module(f"tools.shots.{info.name}")
        for path in recipe.take(ctx):
            print(path)
    ctx.settle()  # let background work finish before the store closes
    window.close()
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
