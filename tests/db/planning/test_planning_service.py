"""PlanningService on the 300-account demo: due visits, a checked plan, re-planning, the saved
VisitPlan row with its outbox mutations, and the .ics export parsed back."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from sqlalchemy import select

from kamdesk.db.engine import Store
from kamdesk.db.models import OutboxEntry, VisitPlan
from kamdesk.domain.routing import LatLon, SolveOptions
from kamdesk.services.demo.geography import OFFICE
from kamdesk.services.ics_export import escape_text, fold, week_to_ics
from kamdesk.services.planning import PlanningService
from kamdesk.services.planning_problem import PlanningConfig
from kamdesk.services.planning_views import WeekOutcome
from tests.conftest import DEMO_TODAY


@pytest.fixture
def service(demo_store: Store) -> PlanningService:
    cfg = PlanningConfig(office=LatLon(*OFFICE[1]))
    return PlanningService(demo_store, cfg, options=SolveOptions(max_iterations=100, seed=2))


def test_due_visits_say_why(service: PlanningService) -> None:
    due = service.due_visits(DEMO_TODAY)
    assert 0 < len(due) <= 300
    assert [d.priority for d in due] == sorted((d.priority for d in due), reverse=True)
    for d in due:
        assert d.reasons and d.explanation.zh and d.explanation.en


def test_plan_replan_and_persist(service: PlanningService, demo_store: Store) -> None:
    out = service.plan_week(DEMO_TODAY)
    assert out.violations == ()
    assert out.visit_count > 20
    listed = {v.visit_id for v in out.left_out} | {
        s.visit_id for d in out.days for s in d.visit_stops
    }
    assert len(listed) == out.due_count  # nothing silently dropped
    # drag the first Monday stop to Wednesday, position 0: locked there, plan still valid
    monday = out.days[0]
    moved = monday.visit_stops[0].visit_id
    assert moved is not None
    wednesday = DEMO_TODAY + timedelta(days=2)
    out2 = service.move_stop(out.state, moved, wednesday, 0)
    assert out2.violations == ()
    found = out2.stop(moved)
    if found is not None:  # locked there ...
        assert found[0].day == wednesday
        assert next(s for s in found[0].visit_stops if s.visit_id == moved).locked
    else:  # ... or, in this overloaded week, reported (routing limitation, see report)
        assert any(v.visit_id == moved and v.mandatory for v in out2.left_out)
    assert out2.state.edits.locked[0].day == wednesday
    # skip a Thursday stop: it leaves the plan as "skipped"; Monday-Wednesday stay unchanged
    thursday = out2.days[3]
    skipped = thursday.visit_stops[0].visit_id
    assert skipped is not None
    out3 = service.skip_stop(out2.state, skipped)
    assert out3.violations == ()
    assert out3.stop(skipped) is None
    assert any(v.visit_id == skipped and v.reason == "skipped" for v in out3.left_out)
    assert out3.days[:3] == out2.days[:3]
    # the shop of a Friday stop is closed today: it moves nowhere on Friday
    friday = out3.days[4]
    closed = friday.visit_stops[0].visit_id
    assert closed is not None
    out4 = service.mark_closed(out3.state, closed)
    assert out4.violations == ()
    assert all(s.visit_id != closed for s in out4.days[4].stops)
    with demo_store.session() as session:
        rows = session.scalars(select(VisitPlan)).all()
        assert len(rows) == 1 and rows[0].iso_week == "2026-W48"
        assert rows[0].days[4]["closed_accounts"]
        names = [
            e.name for e in session.scalars(select(OutboxEntry).order_by(OutboxEntry.hlc)).all()
        ]
    assert names.count("visit_plan.create") == 1
    assert names.count("visit_plan.update_fields") == 3


def test_ics_and_route_sheet(service: PlanningService, tmp_path: Path) -> None:
    out = service.plan_week(DEMO_TODAY)
    _check_route_sheet(out, tmp_path)
    text = week_to_ics(out, week="2026-W48", now=datetime(2026, 11, 23, 8, 0))
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    cal = icalendar.Calendar.from_ical(text)
    events = list(cal.walk("VEVENT"))
    stops = [s for d in out.days for s in d.visit_stops]
    assert len(events) == len(stops)
    first_day = out.days[0]
    first = first_day.visit_stops[0]
    ev = next(e for e in events if str(e["UID"]).startswith(f"2026-W48-{first.visit_id}@"))
    start = ev.decoded("DTSTART")
    assert start.tzinfo is not None and start.utcoffset() == timedelta(hours=8)
    assert (start.hour * 60 + start.minute, start.date()) == (first.start, first_day.day)
    assert ev.decoded("DTEND") - start == timedelta(minutes=first.departure - first.start)
    assert str(ev["LOCATION"]) == first.address
    assert first.reasons_zh[0] in str(ev["DESCRIPTION"])
    # UIDs are stable: the same plan exported again gives the same UIDs
    again = icalendar.Calendar.from_ical(week_to_ics(out, week="2026-W48"))
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == {str(e["UID"]) for e in events}


def test_text_escaping_and_folding() -> None:
    raw = "a,b;c\\d\n第二行"
    assert escape_text(raw) == "a\\,b\\;c\\\\d\\n第二行"
    line = "DESCRIPTION:" + "拜访" * 60
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
    parsed = icalendar.Calendar.from_ical(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\n"
        "DTSTAMP:20261123T000000Z\r\n" + fold("SUMMARY:" + escape_text(raw)) + "\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert str(next(iter(parsed.walk("VEVENT")))["SUMMARY"]) == raw
    assert date(2026, 11, 23).weekday() == 0


def _check_route_sheet(out: WeekOutcome, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from kamdesk.services.planning_pdf import route_brief_data, write_route_sheet

    data = route_brief_data(out, "张伟")
    assert [d.day for d in data.days] == [d.day for d in out.days if d.visits]
    assert sum(len(d.stops) for d in data.days) == out.visit_count
    path = write_route_sheet(out, tmp_path / "week.pdf", manager_name="张伟")
    reader = PdfReader(str(path))
    assert len(reader.pages) >= out.visit_count  # a cover per day, then a page per stop
    first = out.days[0].visit_stops[0]
    text = "".join(reader.pages[i].extract_text() for i in range(min(3, len(reader.pages))))
    assert first.name in text
