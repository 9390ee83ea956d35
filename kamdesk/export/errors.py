"""Errors the export layer raises (one base; ``code`` is machine-readable, the UI words it).

Standalone on purpose: ``kamdesk.export`` imports nothing from kamdesk but ``kamdesk.domain``.
The shape (``code``, ``message``, ``details``) matches ``kamdesk.errors.KamdeskError`` so the UI
can treat both alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class ExportError(Exception):
    """A document could not be produced or written."""

    code: str = "export"

    def __init__(self, message: str, *, code: str | None = None, **details: Any) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.details = details

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.code


class UnwritablePathError(ExportError):
    """The target folder is missing, read-only, or the path names a folder."""

    code = "export.unwritable"


class ExportCancelledError(ExportError):
    """The user cancelled a batch; ``written`` lists the complete files made before that."""

    code = "export.cancelled"

    def __init__(self, message: str, *, written: tuple[Path, ...] = ()) -> None:
        super().__init__(message, written=written)
        self.written = written


class FontMissingError(ExportError):
    """The bundled CJK font is not where it should be (broken install)."""

    code = "export.font_missing"


class InvalidExportDataError(ExportError):
    """The plain data handed in cannot be laid out (e.g. a stop without coordinates)."""

    code = "export.invalid_data"


class RenderError(ExportError):
    """The layout engine failed (e.g. an unsplittable element larger than a page)."""

    code = "export.render_failed"
