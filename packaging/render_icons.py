"""Render packaging/icons/kamdesk.svg to the PNG, ICO and ICNS files the bundles use.

    python packaging/render_icons.py

PNGs are drawn with Qt's SVG renderer (PySide6, already a dependency); the Windows ``.ico`` and
macOS ``.icns`` are assembled from those PNGs with Pillow when it is installed (else skipped,
with a note). The outputs are committed, so a build never needs this script.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent / "icons"
SIZES = (16, 32, 48, 64, 128, 256, 512)
COMMITTED = (48, 128, 256)  # the PNGs kept in git; the others only feed .ico/.icns


def render(svg: Path, size: int) -> QImage:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    svg = ICONS / "kamdesk.svg"
    pngs: dict[int, Path] = {}
    scratch = ICONS / ".render"
    scratch.mkdir(exist_ok=True)
    for size in SIZES:
        target = (ICONS if size in COMMITTED else scratch) / f"kamdesk-{size}.png"
        if not render(svg, size).save(str(target)):
            raise SystemExit(f"cannot write {target}")
        pngs[size] = target
        print(target.relative_to(ICONS.parent.parent))
    try:
        from PIL import Image
    except ImportError:
        print("Pillow is not installed: kamdesk.ico and kamdesk.icns were not rebuilt")
        return 0
    big = Image.open(pngs[256])
    big.save(ICONS / "kamdesk.ico", sizes=[(s, s) for s in (16, 32, 48, 64, 128, 256)])
    Image.open(pngs[512]).save(ICONS / "kamdesk.icns")
    print("packaging/icons/kamdesk.ico\npackaging/icons/kamdesk.icns")
    for path in scratch.iterdir():
        path.unlink()
    scratch.rmdir()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
