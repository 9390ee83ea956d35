"""Bad input in every text field that reaches SQL, a PDF dossier or an .ics file (issue #8.4).

Card, contact, note and evaluation texts are either stored exactly (after the documented
normalisation: single-line fields are stripped) or refused with a ``ValidationError`` naming
the field and a specific code, the database unchanged. Search text is never interpreted as SQL
(``%``, ``_``, ``\\`` and quotes are literal) and the SQL path agrees with the in-memory one.
Stored text makes a valid PDF, its ordinary words extractable; the .ics export of hostile
names and addresses parses back to the same text.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader
from sqlalchemy import select

from kamdesk.db.engine import Store
from kamdesk.db.models import Account, AccountNote, Contact
from kamdesk.domain.fields import (
    ACCOUNT_FIELDS,
    COMMENT_MAX_LEN,
    CONTACT_FIELDS,
    NOTE_MAX_LEN,
)
from kamdesk.errors import ValidationError
from kamdesk.export import ExportOptions, render_dossier
from kamdesk.services.account_queries import AccountFilter, AccountQueries
from kamdesk.services.accounts import SCORE_FIELDS, AccountService
from kamdesk.services.dossier import DossierService
from kamdesk.services.ics_export import week_to_ics
from kamdesk.services.planning_views import DayView, StopView
from tests.conftest import DEMO_TODAY

from .helpers import HOSTILE_TEXT, TYPED_TEXT, fingerprint, fuzz

TEXT = st.one_of(HOSTILE_TEXT, TYPED_TEXT)
ACCOUNT_TEXT_FIELDS = sorted(n for n, s in ACCOUNT_FIELDS.items() if s.kind in {"str", "text"})
CONTACT_TEXT_FIELDS = sorted(n for n, s in CONTACT_FIELDS.items() if s.kind in {"str", "text"})
SQLISH = st.text(st.sampled_from("%_\\'\";-*=|宏兴烟酒 abcHX0"), max_size=12)


def _first_account(store: Store) -> str:
    with store.session() as session:
        return str(session.scalar(select(Account.id).order_by(Account.code).limit(1)))


def _refused(store: Store, before: object, error: ValidationError, field: str) -> None:
    """A refusal names the field, has a specific code and left the database alone."""
    assert error.field == field
    assert error.code.startswith("validation.") and error.code != "validation"
    assert fingerprint(store) == before


def _expected(kind: str, value: str) -> str:
    return value if kind == "text" else value.strip()


@fuzz(60)
@given(field=st.sampled_from(ACCOUNT_TEXT_FIELDS), value=TEXT)
def test_card_text_is_stored_exactly_or_refused(demo_store: Store, field: str, value: str) -> None:
    account_id = _first_account(demo_store)
    service = AccountService(demo_store)
    before = fingerprint(demo_store)
    try:
        service.update_fields(account_id, {field: value})
    except ValidationError as exc:
        _refused(demo_store, before, exc, field)
        return
    with demo_store.session() as session:
        account = session.get(Account, account_id)
        assert account is not None
        assert getattr(account, field) == _expected(ACCOUNT_FIELDS[field].kind, value)


@fuzz(40)
@given(field=st.sampled_from(CONTACT_TEXT_FIELDS), value=TEXT)
def test_contact_text_is_stored_exactly_or_refused(
    demo_store: Store, field: str, value: str
) -> None:
    account_id = _first_account(demo_store)
    service = AccountService(demo_store)
    fields = {"name": "王建国", field: value}
    before = fingerprint(demo_store)
    try:
        contact_id = service.add_contact(account_id, fields)
    except ValidationError as exc:
        _refused(demo_store, before, exc, field)
        return
    with demo_store.session() as session:
        contact = session.get(Contact, contact_id)
        assert contact is not None
        assert getattr(contact, field) == _expected(CONTACT_FIELDS[field].kind, value)


@fuzz(40)
@given(body=TEXT)
def test_note_is_stored_exactly_or_refused(demo_store: Store, body: str) -> None:
    account_id = _first_account(demo_store)
    before = fingerprint(demo_store)
    try:
        note_id = AccountService(demo_store).add_note(account_id, body)
    except ValidationError as exc:
        _refused(demo_store, before, exc, "body")
        return
    with demo_store.session() as session:
        note = session.get(AccountNote, note_id)
        assert note is not None and note.body == body.strip()


def test_oversized_texts_are_refused_with_a_field_error(demo_store: Store) -> None:
    account_id = _first_account(demo_store)
    service = AccountService(demo_store)
    before = fingerprint(demo_store)
    megabyte = "备" * (1024 * 1024 // 3)  # 1 MB of UTF-8
    comment = "评" * (COMMENT_MAX_LEN + 1)
    scores = dict.fromkeys(SCORE_FIELDS, 3)
    cases: list[tuple[str, Any]] = [
        ("body", lambda: service.add_note(account_id, megabyte)),
        ("body", lambda: service.add_note(account_id, "x" * (NOTE_MAX_LEN + 1))),
        ("remarks", lambda: service.update_fields(account_id, {"remarks": megabyte})),
        ("name", lambda: service.update_fields(account_id, {"name": "店" * 101})),
        (
            "family_notes",
            lambda: service.add_contact(account_id, {"name": "王", "family_notes": megabyte}),
        ),
        ("tags", lambda: service.update_fields(account_id, {"tags": ["t"] * 51})),
        ("tags", lambda: service.update_fields(account_id, {"tags": ["t" * 51]})),
        ("comment", lambda: service.add_evaluation(account_id, DEMO_TODAY, scores, comment)),
    ]
    for field, call in cases:
        with pytest.raises(ValidationError) as info:
            call()
        assert info.value.field == field
        assert info.value.code in {"validation.too_long", "validation.too_many"}
        assert "at most" in info.value.message
    assert fingerprint(demo_store) == before
    assert service.add_note(account_id, "x" * NOTE_MAX_LEN)  # the limit itself is accepted


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("nul\x00", "validation.nul"),
        ("bell\x07", "validation.control_char"),
        ("lone\ud800", "validation.encoding"),
    ],
)
def test_unsafe_characters_get_specific_codes(demo_store: Store, value: str, code: str) -> None:
    account_id = _first_account(demo_store)
    service = AccountService(demo_store)
    before = fingerprint(demo_store)
    for call in (
        lambda: service.update_fields(account_id, {"owner_name": value}),
        lambda: service.add_note(account_id, value),
        lambda: service.add_contact(account_id, {"name": value}),
        lambda: service.update_fields(account_id, {"tags": [value]}),
    ):
        with pytest.raises(ValidationError) as info:
            call()
        assert info.value.code == code
    assert fingerprint(demo_store) == before


@pytest.mark.parametrize("number", ["nan", "inf", "-inf", 1e400, float("nan")])
def test_non_finite_numbers_are_refused(demo_store: Store, number: Any) -> None:
    account_id = _first_account(demo_store)
    for field in ("latitude", "area_m2", "credit_limit_fen", "staff"):
        with pytest.raises(ValidationError) as info:
            AccountService(demo_store).update_fields(account_id, {field: number})
        assert info.value.field == field and info.value.code in {
            "validation.number",
            "validation.range",
        }


@fuzz(30)
@given(summary=TEXT, feedback=TEXT, title=TEXT)
def test_visit_texts_are_stored_exactly_or_refused(
    demo_store: Store, summary: str, feedback: str, title: str
) -> None:
    from kamdesk.db.models import Reminder, Visit
    from kamdesk.services.visits import FollowUp, VisitInput, VisitService

    account_id = _first_account(demo_store)
    start = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    visit = VisitInput(
        account_id=account_id,
        started_at=start,
        finished_at=start + timedelta(minutes=20),
        feedback={"consumer_comments": feedback},
        summary=summary,
        follow_ups=[FollowUp(title, date(2026, 11, 26))],
    )
    before = fingerprint(demo_store)
    try:
        visit_id = VisitService(demo_store).record(visit)
    except ValidationError as exc:
        assert_refused_visit(demo_store, before, exc)
        return
    with demo_store.session() as session:
        stored = session.get(Visit, visit_id)
        assert stored is not None
        assert stored.summary == summary
        assert stored.feedback["consumer_comments"] == feedback
        titles = session.scalars(
            select(Reminder.title).where(Reminder.account_id == account_id)
        ).all()
        assert title.strip() in titles


def assert_refused_visit(store: Store, before: object, error: ValidationError) -> None:
    assert error.field in {"summary", "feedback", "follow_ups"}
    assert error.code.startswith("validation.")
    assert fingerprint(store) == before


def test_oversized_visit_texts_are_refused(demo_store: Store) -> None:
    from kamdesk.domain.fields import FOLLOW_UP_TITLE_MAX_LEN, VISIT_TEXT_MAX_LEN
    from kamdesk.services.visits import FollowUp, VisitInput, VisitService

    start = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    base = VisitInput(_first_account(demo_store), start, start + timedelta(minutes=20))
    before = fingerprint(demo_store)
    for changes, field in (
        ({"summary": "访" * (VISIT_TEXT_MAX_LEN + 1)}, "summary"),
        ({"feedback": {"sell_through": "x" * (VISIT_TEXT_MAX_LEN + 1)}}, "feedback"),
        (
            {"follow_ups": [FollowUp("回" * (FOLLOW_UP_TITLE_MAX_LEN + 1), date(2026, 11, 26))]},
            "follow_ups",
        ),
    ):
        with pytest.raises(ValidationError) as info:
            VisitService(demo_store).record(replace(base, **changes))
        assert (info.value.field, info.value.code) == (field, "validation.too_long")
    assert fingerprint(demo_store) == before


# -- search: text is never SQL ---------------------------------------------------------------
@fuzz(40)
@given(name=SQLISH.filter(lambda s: s.strip()), query=SQLISH)
def test_search_treats_sql_characters_literally(demo_store: Store, name: str, query: str) -> None:
    account_id = _first_account(demo_store)
    AccountService(demo_store).update_fields(account_id, {"name": name})
    queries = AccountQueries(demo_store, today=lambda: DEMO_TODAY)
    memory = queries.search_ids(AccountFilter(text=query))
    with_sql = queries.search_ids(AccountFilter(text=query, include_deleted=True))
    live = set(queries.search_ids())
    assert set(memory) == set(with_sql) & live
    own = name.strip()
    for text in (own, own.upper(), f" {own} "):
        assert account_id in queries.search_ids(AccountFilter(text=text))
        assert account_id in queries.search_ids(AccountFilter(text=text, include_deleted=True))


# -- PDF -------------------------------------------------------------------------------------
ORDINARY = st.text(
    st.sampled_from("宏兴烟酒店合肥市蜀山区长江西路号王建国李ABCxyz0123456789"),
    min_size=1,
    max_size=12,
)


@fuzz(8)
@given(name=ORDINARY, hostile=TEXT)
def test_stored_text_makes_a_valid_pdf(demo_store: Store, name: str, hostile: str) -> None:
    account_id = _first_account(demo_store)
    service = AccountService(demo_store)
    service.update_fields(account_id, {"name": name, "owner_name": "王建国"})
    for changes in ({"address": hostile}, {"remarks": hostile}):
        with contextlib.suppress(ValidationError):
            service.update_fields(account_id, changes)
    with contextlib.suppress(ValidationError):
        service.add_note(account_id, hostile)
    data = DossierService(demo_store, clock=lambda: DEMO_TODAY).dossier(account_id)
    options = ExportOptions(generated_by="王建国", generated_at=datetime(2026, 11, 23, 9, 0))
    content = render_dossier(data, options)
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    reader = PdfReader(io.BytesIO(content), strict=True)
    text = "".join(page.extract_text() for page in reader.pages)
    squashed = "".join(text.split())
    assert name in squashed


# -- .ics ------------------------------------------------------------------------------------
def _stop(name: str, code: str, address: str, reason: str, phone: str) -> StopView:
    return StopView(
        visit_id="v1", account_id="a1", code=code, name=name, address=address, phone=phone,
        tier="A", lat=31.82, lon=117.22, arrival=540, start=540, departure=570, waiting=0,
        slack=0, travel_minutes=10, travel_km=3.2, purpose="routine", reasons_zh=(reason,),
        reasons_en=(reason,),
    )  # fmt: skip


def _ics_text(value: str) -> str:
    """What a text becomes in the calendar: line ends as LF, unsafe characters dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(c for c in value if c in "\t\n" or (ord(c) >= 0x20 and c != "\x7f"))
    return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in value)


ICS_TEXT = st.one_of(
    TEXT,
    st.text(st.sampled_from("\\;,:\n\r\"'拜访 ab"), max_size=200),
    st.text(st.sampled_from("长烟🚬a"), min_size=70, max_size=300),
)


@fuzz(150)
@given(name=ICS_TEXT.filter(lambda s: s.strip()), code=ICS_TEXT, address=ICS_TEXT, reason=ICS_TEXT)
def test_ics_round_trips_any_text(name: str, code: str, address: str, reason: str) -> None:
    day = DayView(
        day=date(2026, 11, 23),
        stops=(_stop(name, code, address, reason, "0551-6543210"),),
        leave=480, back=1080, travel_minutes=10, travel_km=3.2, visits=1,
    )  # fmt: skip
    outcome: Any = SimpleNamespace(days=(day,))
    text = week_to_ics(outcome, week="2026-W48", lang="en", now=datetime(2026, 11, 23, 8, 0))
    raw = text.encode("utf-8")  # encodable: no lone surrogate left
    assert raw.endswith(b"\r\n")
    for line in raw.split(b"\r\n")[:-1]:
        assert len(line) <= 75
        assert b"\r" not in line and b"\n" not in line
        assert not any(b < 0x20 and b != 0x09 for b in line) and b"\x7f" not in line
    event = next(iter(icalendar.Calendar.from_ical(text).walk("VEVENT")))
    summary = f"{name} ({code})" if code else name
    assert str(event["SUMMARY"]) == _ics_text(summary)
    assert str(event["LOCATION"]) == _ics_text(address or name)
    assert _ics_text(reason) in str(event["DESCRIPTION"])
