"""Fonts, translations and icons from resources/, loaded once at start-up."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from kamdesk.paths import resources_dir

CJK_FONT_FILE = "wqy-microhei.ttc"
SUPPORTED_LANGUAGES = ("zh_CN", "en")


def load_fonts(app: QApplication) -> str | None:
    """Register the bundled CJK font and make it the UI font, so Chinese never shows as boxes."""
    font_path = resources_dir() / "fonts" / CJK_FONT_FILE
    font_id = QFontDatabase.addApplicationFont(str(font_path))
    if font_id < 0:
        return None
    families = QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        return None
    font = QFont(families[0])
    font.setPointSize(max(app.font().pointSize(), 10))
    app.setFont(font)
    return families[0]


def pick_language(setting: str | None) -> str:
    """The user's choice, else the system's when we support it, else Simplified Chinese."""
    if setting in SUPPORTED_LANGUAGES:
        return setting
    system = QLocale.system().name()
    if system.startswith("en"):
        return "en"
    return "zh_CN"


def install_translator(app: QApplication, language: str) -> QTranslator | None:
    """English is the source language; anything else loads resources/translations/<lang>.qm."""
    if language == "en":
        return None
    translator = QTranslator(app)
    qm = Path(resources_dir() / "translations" / f"kamdesk_{language}.qm")
    if not translator.load(str(qm)):
        return None
    app.installTranslator(translator)
    return translator
