"""The planned week as an iCalendar file (RFC 5545): one VEVENT per visit.

Times are local to the territory (TZID=Asia/Shanghai, with its VTIMEZONE: UTC+8, no daylight
saving). UIDs are stable per visit and week, so re-importing a re-planned week updates the
events instead of duplicating them. Text is escaped (backslash, semicolon, comma, newline) and
lines are folded at 75 octets without splitting a UTF-8 character.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from kamdesk.errors import KamdeskError
from kamdesk.services.planning_views import DayView, StopView, WeekOutcome

TZID = "Asia/Shanghai"
PRODID = "-//KAMDesk//Weekly visit plan//ZH"
UID_DOMAIN = "kamdesk.local"

_VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0800",
    "TZOFFSETTO:+0800",
    "TZNAME:CST",
    "END:STANDARD",
    "END:VTIMEZONE",
)

PURPOSE_ZH = {
    "routine": "例行拜访",
    "special": "特殊拜访",
    "retention": "挽留拜访",
    "collection": "收款",
    "complaint": "投诉跟进",
    "new_product": "新品试销",
    "prospecting": "潜在客户拜访",
    "senior": "高层拜访",
}


class IcsExportError(KamdeskError):
    code = "ics"


# control characters TEXT may not hold (3.3.11: any CTL but HTAB); CR and LF become "\n"
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_SURROGATES = re.compile("[\ud800-\udfff]")


def escape_text(value: str) -> str:
    """RFC 5545 TEXT escaping (3.3.11). Line ends (CRLF, CR, LF) become ``\\n``; other
    control characters are dropped and unpaired surrogates (not encodable) become U+FFFD."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _SURROGATES.sub("\ufffd", _CONTROLS.sub("", value))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str, limit: int = 75) -> str:
    """Fold a content line into chunks of at most ``limit`` octets (3.1), never inside a
    multi-byte character; continuation lines start with one space."""
    out: list[str] = []
    current = ""
    size = 0
    budget = limit
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > budget:
            out.append(current)
            current, size, budget = "", 0, limit - 1  # the leading space takes one octet
        current += ch
        size += n
    out.append(current)
    return "\r\n ".join(out)


def _local(day: date, minute: int) -> str:
    return f"{day:%Y%m%d}T{minute // 60:02d}{minute % 60:02d}00"


def visit_uid(week: str, visit_id: str) -> str:
    return f"{week}-{visit_id}@{UID_DOMAIN}"


def _event(day: DayView, stop: StopView, week: str, stamp: str, lang: str) -> list[str]:
    assert stop.visit_id is not None
    purpose = PURPOSE_ZH.get(stop.purpose, stop.purpose) if lang == "zh" else stop.purpose
    reasons = stop.reasons_zh if lang == "zh" else stop.reasons_en
    head = "拜访目的" if lang == "zh" else "Purpose"
    why = "拜访原因" if lang == "zh" else "Why"
    lines = [f"{head}: {purpose}", f"{why}:", *(f"- {r}" for r in reasons)]
    if stop.phone:
        lines.append(("电话" if lang == "zh" else "Phone") + f": {stop.phone}")
    summary = f"{stop.name} ({stop.code})" if stop.code else stop.name
    return [
        "BEGIN:VEVENT",
        f"UID:{visit_uid(week, stop.visit_id)}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;TZID={TZID}:{_local(day.day, stop.start)}",
        f"DTEND;TZID={TZID}:{_local(day.day, stop.departure)}",
        f"SUMMARY:{escape_text(summary)}",
        f"LOCATION:{escape_text(stop.address or stop.name)}",
        f"DESCRIPTION:{escape_text(chr(10).join(lines))}",
        f"GEO:{stop.lat:.6f};{stop.lon:.6f}",
        f"CATEGORIES:{escape_text(purpose)}",
        "STATUS:CONFIRMED" if stop.locked else "STATUS:TENTATIVE",
        "TRANSP:OPAQUE",
        "END:VEVENT",
    ]


def week_to_ics(
    outcome: WeekOutcome, *, week: str, lang: str = "zh", now: datetime | None = None
) -> str:
    """The calendar text (CRLF line ends, folded)."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    name = f"拜访计划 {week}" if lang == "zh" else f"Visit plan {week}"
    lines: list[str] = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-TIMEZONE:{TZID}",
        *_VTIMEZONE,
    ]
    for day in outcome.days:
        for stop in day.visit_stops:
            lines += _event(day, stop, week, stamp, lang)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def write_ics(
    outcome: WeekOutcome, path: Path, *, week: str, lang: str = "zh", now: datetime | None = None
) -> Path:
    text = week_to_ics(outcome, week=week, lang=lang, now=now)
    try:
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(text.encode("utf-8"))
        tmp.replace(path)
    except OSError as exc:
        raise IcsExportError(f"cannot write {path}: {exc}", code="ics.unwritable") from exc
    return path


__all__: Sequence[str] = ("escape_text", "fold", "visit_uid", "week_to_ics", "write_ics")
