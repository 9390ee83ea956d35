"""Export the (filtered) account list to .xlsx, in the order the list shows it."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

from kamdesk.domain.enums import BUSINESS_FORMAT_ZH, LIFECYCLE_ZH, BusinessFormat, LifecycleStage
from kamdesk.domain.fields import ACCOUNT_FIELDS
from kamdesk.errors import KamdeskError
from kamdesk.services.account_queries import AccountFilter, AccountQueries, AccountRow

Progress = Callable[[int, int, str], None]
CHUNK = 500

# (header, value) per exported column; headers are the Chinese labels the importer maps back
EXPORT_COLUMNS: tuple[tuple[str, Callable[[AccountRow], str]], ...] = (
    (ACCOUNT_FIELDS["code"].label_zh, lambda r: r.code),
    (ACCOUNT_FIELDS["name"].label_zh, lambda r: r.name),
    (ACCOUNT_FIELDS["licence_no"].label_zh, lambda r: r.licence_no),
    (ACCOUNT_FIELDS["owner_name"].label_zh, lambda r: r.owner_name),
    (ACCOUNT_FIELDS["phone"].label_zh, lambda r: r.phone),
    (
        ACCOUNT_FIELDS["business_format"].label_zh,
        lambda r: (
            BUSINESS_FORMAT_ZH.get(BusinessFormat(r.business_format), r.business_format)
            if r.business_format in BusinessFormat._value2member_map_
            else r.business_format
        ),
    ),
    (ACCOUNT_FIELDS["district"].label_zh, lambda r: r.district),
    (ACCOUNT_FIELDS["address"].label_zh, lambda r: r.address),
    ("ABC", lambda r: r.tier),
    (
        "生命周期",
        lambda r: (
            LIFECYCLE_ZH.get(LifecycleStage(r.stage), r.stage)
            if r.stage in LifecycleStage._value2member_map_
            else r.stage
        ),
    ),
    (ACCOUNT_FIELDS["relationship_grade"].label_zh, lambda r: r.relationship_grade or ""),
)


class ExportError(KamdeskError):
    code = "export.accounts"


def export_accounts_xlsx(
    queries: AccountQueries,
    flt: AccountFilter,
    path: Path,
    *,
    order_by: str = "code",
    descending: bool = False,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> int:
    """Write the accounts ``flt`` selects to ``path``; returns the number of rows written."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def text(value: str) -> object:
        """A cell that stays text: "=cmd|..." typed or imported is never a live formula, and
        control characters XML cannot hold (from data older than the field checks) are dropped
        instead of failing the whole export."""
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if not value.startswith("="):
            return value
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell

    ids = queries.search_ids(flt, order_by=order_by, descending=descending)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("客户")
    sheet.append([header for header, _ in EXPORT_COLUMNS])
    for start in range(0, len(ids), CHUNK):
        if cancel is not None and cancel.is_set():
            raise ExportError("导出已取消 / Export cancelled", code="export.cancelled")
        for row in queries.rows_for(ids[start : start + CHUNK]):
            sheet.append([text(value(row)) for _, value in EXPORT_COLUMNS])
        if progress is not None:
            progress(min(start + CHUNK, len(ids)), len(ids), "")
    tmp = path.with_name(path.name + ".part")
    try:
        workbook.save(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError(
            f"无法写入 {path.name} / Cannot write {path.name}: {exc.strerror}",
            code="export.write_failed",
        ) from exc
    return len(ids)
