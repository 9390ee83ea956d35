"""The printable route sheet: the planned week handed to the export module's route brief
(a week overview, per day a cover with the map and stop list, then a page per stop)."""

from __future__ import annotations

from datetime import time
from pathlib import Path

from kamdesk.domain.enums import BusinessFormat
from kamdesk.export import ExportOptions, Lang, export_pdf
from kamdesk.export.dossier_data import GeoPoint, OpeningHours, RouteBriefData, RouteDay, RouteStop
from kamdesk.services.planning_views import WeekOutcome


def _clock(minute: int) -> time:
    minute = max(0, min(minute, 24 * 60 - 1))
    return time(minute // 60, minute % 60)


def _format(code: str) -> BusinessFormat | None:
    try:
        return BusinessFormat(code)
    except ValueError:
        return None


def route_brief_data(outcome: WeekOutcome, manager_name: str = "") -> RouteBriefData:
    state = outcome.state
    days: list[RouteDay] = []
    for day in outcome.days:
        stops: list[RouteStop] = []
        for seq, stop in enumerate(day.visit_stops, start=1):
            info = state.accounts[stop.account_id or ""]
            hours = tuple(
                OpeningHours(
                    wd,
                    _clock(spans[0][0]) if spans else None,
                    _clock(spans[-1][1]) if spans else None,
                )
                for wd, spans in enumerate(info.opening_hours)
            )
            stops.append(
                RouteStop(
                    sequence=seq,
                    account_code=stop.code,
                    account_name=stop.name,
                    address=stop.address,
                    location=GeoPoint(stop.lat, stop.lon),
                    arrival=_clock(stop.start),
                    departure=_clock(stop.departure),
                    business_format=_format(info.business_format),
                    phone=stop.phone,
                    opening_hours=hours,
                    why_due=stop.reasons_zh,
                )
            )
        if stops:
            days.append(
                RouteDay(
                    day=day.day,
                    stops=tuple(stops),
                    start=GeoPoint(outcome.start.lat, outcome.start.lon),
                    distance_km=day.travel_km,
                    duration_minutes=day.back - day.leave,
                )
            )
    return RouteBriefData(manager_name=manager_name, days=tuple(days))


def write_route_sheet(
    outcome: WeekOutcome, path: Path, *, manager_name: str = "", lang: str = "zh"
) -> Path:
    """Render the week's route sheet to ``path`` (raises ``kamdesk.export.ExportError``)."""
    options = ExportOptions(lang=Lang.ZH if lang == "zh" else Lang.EN, generated_by=manager_name)
    return export_pdf(route_brief_data(outcome, manager_name), path, options)
