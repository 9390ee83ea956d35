"""Writing PDFs to disk: atomically, one at a time or as a cancellable batch.

A document is rendered fully in memory, written to a temporary file in the target folder and
moved over the target with ``os.replace``, so a crash, a full disk or a cancel never leaves a
half-written PDF. Files are created owner-only (mode 0600): dossiers are trade secrets.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kamdesk.export.dossier import render_dossier
from kamdesk.export.dossier_data import DossierData, RouteBriefData
from kamdesk.export.errors import (
    ExportCancelledError,
    ExportError,
    InvalidExportDataError,
    UnwritablePathError,
)
from kamdesk.export.labels import Labels
from kamdesk.export.options import ExportOptions
from kamdesk.export.route_brief import render_route_brief

ProgressFn = Callable[[int, int, str], None]

# Characters Windows, macOS or Linux refuse in file names, plus control characters.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}


@dataclass(frozen=True, slots=True)
class ExportJob:
    """One document of a batch and where it goes."""

    data: DossierData | RouteBriefData
    path: Path


def safe_filename(stem: str, max_length: int = 120) -> str:
    """``stem`` with characters no file system accepts replaced by ``_`` (Chinese kept)."""
    cleaned = _UNSAFE.sub("_", stem).strip(" .")
    if cleaned.split(".")[0].upper() in _RESERVED:  # Windows device names
        cleaned = f"_{cleaned}"
    return cleaned[:max_length].rstrip(" .") or "export"


def dossier_filename(data: DossierData, options: ExportOptions | None = None) -> str:
    """``KA-0001_鑫隆烟酒商行_客户档案.pdf``."""
    labels = Labels((options or ExportOptions()).lang)
    card = data.account
    return safe_filename(f"{card.code}_{card.name}_{labels.t('doc.dossier')}") + ".pdf"


def dossier_jobs(
    dossiers: Iterable[DossierData], folder: Path, options: ExportOptions | None = None
) -> list[ExportJob]:
    """One job per account into ``folder`` using :func:`dossier_filename`."""
    return [ExportJob(d, folder / dossier_filename(d, options)) for d in dossiers]


def write_atomically(content: bytes, path: Path) -> Path:
    """Write ``content`` to ``path`` via a temporary file in the same folder."""
    if path.is_dir():
        raise UnwritablePathError(f"{path} is a folder", path=str(path))
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise UnwritablePathError(f"cannot write in {path.parent}: {exc}", path=str(path)) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        if isinstance(exc, OSError):
            raise UnwritablePathError(f"cannot write {path}: {exc}", path=str(path)) from exc
        raise
    return path


def render(data: DossierData | RouteBriefData, options: ExportOptions | None = None) -> bytes:
    if isinstance(data, DossierData):
        return render_dossier(data, options)
    return render_route_brief(data, options)


def export_pdf(
    data: DossierData | RouteBriefData, path: Path, options: ExportOptions | None = None
) -> Path:
    """Render one dossier or route brief and write it to ``path``."""
    _check_folder(path.parent)
    return write_atomically(render(data, options), path)


def _check_folder(folder: Path) -> None:
    if not folder.is_dir():
        raise UnwritablePathError(f"folder {folder} does not exist", path=str(folder))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UnwritablePathError(f"folder {folder} is not writable", path=str(folder))


def export_batch(
    jobs: Sequence[ExportJob],
    options: ExportOptions | None = None,
    *,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
) -> tuple[Path, ...]:
    """Write every job in order; returns the paths written.

    ``progress(done, total, message)`` is called before the first document and after each one.
    ``cancel`` is checked between documents: a set event raises
    :class:`ExportCancelledError` carrying the complete files written so far; the document in
    hand is never cut short, so no partial file is left. Any other failure stops the batch with
    its :class:`ExportError` (``details["written"]`` lists what was done).
    """
    total = len(jobs)
    targets = [job.path.resolve() for job in jobs]
    if len(set(targets)) != total:
        raise InvalidExportDataError("two documents of the batch share a file name", field="path")
    for folder in {t.parent for t in targets}:
        _check_folder(folder)
    written: list[Path] = []
    if progress is not None:
        progress(0, total, "")
    for done, job in enumerate(jobs, start=1):
        if cancel is not None and cancel.is_set():
            raise ExportCancelledError(
                f"cancelled after {len(written)} of {total} documents", written=tuple(written)
            )
        try:
            written.append(write_atomically(render(job.data, options), job.path))
        except ExportError as exc:
            exc.details["written"] = tuple(written)
            raise
        if progress is not None:
            progress(done, total, job.path.name)
    return tuple(written)
