"""PDF exports from plain data: the account dossier (客户档案) and the route brief.

Imports nothing from kamdesk but ``kamdesk.domain``; no Qt. Typical use::

    from kamdesk.export import ExportOptions, dossier_jobs, export_batch
    export_batch(dossier_jobs(dossiers, folder), ExportOptions(generated_by="王建国"),
                 progress=report, cancel=event)
"""

from __future__ import annotations

from kamdesk.export.dossier import render_dossier
from kamdesk.export.errors import (
    ExportCancelledError,
    ExportError,
    FontMissingError,
    InvalidExportDataError,
    RenderError,
    UnwritablePathError,
)
from kamdesk.export.labels import Labels, Lang
from kamdesk.export.options import ExportOptions
from kamdesk.export.route_brief import render_route_brief
from kamdesk.export.writer import (
    ExportJob,
    ProgressFn,
    dossier_filename,
    dossier_jobs,
    export_batch,
    export_pdf,
    safe_filename,
    write_atomically,
)

__all__ = [
    "ExportCancelledError",
    "ExportError",
    "ExportJob",
    "ExportOptions",
    "FontMissingError",
    "InvalidExportDataError",
    "Labels",
    "Lang",
    "ProgressFn",
    "RenderError",
    "UnwritablePathError",
    "dossier_filename",
    "dossier_jobs",
    "export_batch",
    "export_pdf",
    "render_dossier",
    "render_route_brief",
    "safe_filename",
    "write_atomically",
]
