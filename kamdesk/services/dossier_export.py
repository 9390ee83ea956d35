"""Writing dossiers and route briefs from the workspace to PDF files (Qt-free; the CLI and the
app both call these). Every file is written atomically by :mod:`kamdesk.export.writer`, so a
cancel or a failure leaves complete files only."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from kamdesk.export import (
    ExportCancelledError,
    ExportError,
    ExportOptions,
    UnwritablePathError,
    dossier_filename,
    export_pdf,
    safe_filename,
)
from kamdesk.services.dossier import DossierService
from kamdesk.services.dossier_route import week_monday
from kamdesk.services.planning import iso_week

Progress = Callable[[int, int, str], None]


def export_dossier(
    service: DossierService,
    account_id: str,
    path: Path,
    *,
    options: ExportOptions,
    as_of: date | None = None,
) -> Path:
    """One account's dossier to ``path`` (raises ``DossierError`` or ``ExportError``)."""
    check_target(path)  # before the work, not after it
    data = service.dossier(account_id, as_of, options.lang)
    return export_pdf(data, path, options)


def export_dossiers(
    service: DossierService,
    account_ids: Sequence[str],
    folder: Path,
    *,
    options: ExportOptions,
    as_of: date | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> tuple[Path, ...]:
    """One dossier per account into ``folder`` (``KA-0001_店名_客户档案.pdf``), in order.

    ``cancel`` is checked before each document: a set event raises
    :class:`~kamdesk.export.ExportCancelledError` with the complete files written so far.
    """
    check_folder(folder)
    total = len(account_ids)
    written: list[Path] = []
    used: set[str] = set()
    if progress is not None:
        progress(0, total, "")
    for done, data in enumerate(service.dossiers(account_ids, as_of, options.lang), start=1):
        if cancel is not None and cancel.is_set():
            raise ExportCancelledError(
                f"cancelled after {len(written)} of {total} dossiers", written=tuple(written)
            )
        name = _unique(dossier_filename(data, options), used)
        try:
            written.append(export_pdf(data, folder / name, options))
        except ExportError as exc:
            exc.details["written"] = tuple(written)
            raise
        if progress is not None:
            progress(done, total, name)
    return tuple(written)


def export_route_brief(
    service: DossierService,
    week: str | date,
    path: Path,
    *,
    options: ExportOptions,
    day: date | None = None,
) -> Path:
    """The route brief of the stored plan of ``week`` (or one ``day`` of it) to ``path``."""
    check_target(path)
    data = service.route_brief(week, options.lang, day=day)
    return export_pdf(data, path, options)


def route_brief_filename(week: str | date, day: date | None = None, lang: str = "zh") -> str:
    label = iso_week(week_monday(week))
    what = "线路拜访简报" if lang == "zh" else "route_brief"
    return safe_filename(f"{label}{'_' + day.isoformat() if day else ''}_{what}") + ".pdf"


def check_target(path: Path) -> None:
    if path.is_dir():
        raise UnwritablePathError(f"{path} is a folder", path=str(path))
    check_folder(path.parent)


def check_folder(folder: Path) -> None:
    if not folder.is_dir():
        raise UnwritablePathError(f"folder {folder} does not exist", path=str(folder))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UnwritablePathError(f"folder {folder} is not writable", path=str(folder))


def _unique(name: str, used: set[str]) -> str:
    """Two shops may share a code and a name after an import: never overwrite one with the
    other inside a batch."""
    stem, suffix = name[: -len(".pdf")], ".pdf"
    candidate, n = name, 2
    while candidate.casefold() in used:
        candidate = f"{stem} ({n}){suffix}"
        n += 1
    used.add(candidate.casefold())
    return candidate
