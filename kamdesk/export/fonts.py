"""The bundled CJK font, registered with reportlab once per process.

WenQuanYi Micro Hei (``resources/fonts/wqy-microhei.ttc``, Apache-2.0) covers GBK hanzi and
Latin in one TrueType face, so every string uses one font; reportlab embeds it as subsets and
writes a ToUnicode map, which keeps the text searchable and copyable. The face has no bold, so
emphasis is done with size and colour.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from kamdesk.export.errors import FontMissingError

FONT_NAME = "WQYMicroHei"
FONT_FILE = "wqy-microhei.ttc"
FONT_PATH_ENV = "KAMDESK_PDF_FONT"  # override for packagers and tests

_lock = threading.Lock()
_registered: Path | None = None


def default_font_path() -> Path:
    """The font inside the PyInstaller bundle when frozen, else in the source tree."""
    override = os.environ.get(FONT_PATH_ENV)
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    root = Path(bundle) if bundle else Path(__file__).resolve().parents[2]
    return root / "resources" / "fonts" / FONT_FILE


def ensure_font(path: Path | None = None) -> str:
    """Register the CJK font (first call wins) and return the name styles should use."""
    global _registered
    with _lock:
        if _registered is not None:
            return FONT_NAME
        font_path = path or default_font_path()
        if not font_path.is_file():
            raise FontMissingError(f"CJK font not found at {font_path}", path=str(font_path))
        try:
            font = TTFont(FONT_NAME, str(font_path), subfontIndex=0)
        except Exception as exc:  # reportlab raises bare TTFError/struct errors on bad files
            raise FontMissingError(
                f"CJK font at {font_path} cannot be used: {exc}", path=str(font_path)
            ) from exc
        pdfmetrics.registerFont(font)
        # <b>/<i> in paragraphs map to the same face rather than failing.
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(FONT_NAME, bold, italic, FONT_NAME)
        _registered = font_path
        return FONT_NAME
