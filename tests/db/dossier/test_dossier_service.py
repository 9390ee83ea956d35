"""DossierService on the 300-account demo: every section filled from the database, checked
against SQL; the rendered PDF read back; an empty account; the route brief of a stored plan."""

from __future__ import annotations

import re
import threading
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kamdesk.cli import DEMO_PASSPHRASE, PASSPHRASE_ENV, main
from kamdesk.db.engine import Store
from kamdesk.db.models import Account, AccountNote, Contact, Evaluation, PurchaseLine
from kamdesk.domain.routing import LatLon, SolveOptions
from kamdesk.export import ExportCancelledError, ExportOptions, Lang, render_dossier
from kamdesk.export import dossier_data as dd
from kamdesk.export.labels import Labels, section_keys
from kamdesk.services.accounts import AccountService
from kamdesk.services.advice import AdviceService, DecisionState
from kamdesk.services.demo.geography import OFFICE
from kamdesk.services.dossier import DossierError, DossierService
from kamdesk.services.dossier_export import export_dossiers
from kamdesk.services.planning import PlanningService
from kamdesk.services.planning_problem import PlanningConfig
from tests.conftest import DEMO_TODAY
from tests.unit.export.pdfcheck import parse, squash

OPTIONS = ExportOptions(generated_by="张伟")


def _service(store: Store, *, advice: bool = False) -> DossierService:
    clock = lambda: DEMO_TODAY  # noqa: E731 - the demo's "today"
    return DossierService(
        store, advice=AdviceService(store, clock=clock) if advice else None, clock=clock
    )


def _busy_account(store: Store) -> tuple[str, str, str, str]:
    """(id, name, licence, a contact's name) of a demo account with contacts, evaluations and
    notes (the first such by code)."""
    with store.session() as session:
        evaluated = select(Evaluation.account_id)
        noted = select(AccountNote.account_id)
        row = session.execute(
            select(Account.id, Account.name, Account.licence_no, func.min(Contact.name))
            .join(Contact, Contact.account_id == Account.id)
            .where(Account.id.in_(evaluated), Account.id.in_(noted))
            .group_by(Account.id)
            .order_by(Account.code)
            .limit(1)
        ).one()
    return str(row[0]), str(row[1]), str(row[2]), str(row[3])


def _english(sentence: str) -> bool:
    """English wording (product and shop names stay as they are, often Chinese)."""
    return re.search(r"[A-Za-z]{4}", sentence) is not None and not re.search(
        r"库存|建议|拜访|补货|欠款", sentence
    )


def test_demo_dossier_renders_every_section(demo_store: Store) -> None:
    account_id, name, licence, contact = _busy_account(demo_store)
    service = _service(demo_store, advice=True)
    data = service.dossier(account_id)
    assert data.account.name == name and data.account.licence_no == licence
    assert data.account.manager_name and data.account.territory
    assert data.contacts and data.evaluations and data.purchases and data.top_products
    assert data.stock and data.visits and data.advice
    pdf = parse(render_dossier(data, OPTIONS))
    labels = Labels(Lang.ZH)
    for needle in (name, licence, contact):
        assert squash(needle) in pdf.text
    for key in section_keys():
        assert squash(labels.t(key)) in pdf.text, key
    total = len(pdf.pages)
    assert total >= 2
    for number, page in enumerate(pdf.pages, start=1):
        assert squash(labels.t("footer.confidential")) in page
        assert squash(labels.t("footer.page", page=number, pages=total)) in page
    # the same account in English: fixed words, tiers and advice reasons change language
    english = service.dossier(account_id, lang="en")
    assert all(p.price_tier.startswith("Tier ") for p in english.purchases)
    assert english.advice and all(_english(r) for a in english.advice for r in a.reasons)
    text = parse(render_dossier(english, ExportOptions(lang=Lang.EN))).text
    assert squash("Basic information card") in text and squash(name) in text


def test_sections_match_the_database(demo_store: Store) -> None:
    account_id, *_ = _busy_account(demo_store)
    data = _service(demo_store).dossier(account_id)
    months = {p.month for p in data.purchases}
    assert 1 <= len(months) <= 18
    first = min(months)
    with demo_store.session() as session:
        live = (PurchaseLine.account_id == account_id, PurchaseLine.deleted.is_(False))
        window_fen = session.scalar(
            select(func.sum(PurchaseLine.amount_fen)).where(
                *live, PurchaseLine.purchased_on >= first, PurchaseLine.purchased_on <= DEMO_TODAY
            )
        )
        owed_fen = session.scalar(select(func.sum(PurchaseLine.outstanding_fen)).where(*live))
    assert sum((p.amount for p in data.purchases), Decimal(0)) == Decimal(window_fen or 0) / 100
    assert sum((d.outstanding for d in data.debts), Decimal(0)) == Decimal(owed_fen or 0) / 100
    assert set(data.price_tiers) >= {p.price_tier for p in data.purchases}
    shares = [p.share for p in data.top_products]
    assert shares == sorted(shares, reverse=True) and 0 < sum(shares) <= 1.0 + 1e-9
    days = [v.visited_on for v in data.visits]
    assert days == sorted(days, reverse=True) and days[0] <= DEMO_TODAY
    assert len({s.product_name for s in data.stock}) == len(data.stock)  # latest count only
    assert all(s.counted_on <= DEMO_TODAY for s in data.stock)
    scores = [e.total for e in data.evaluations]
    assert all(0 <= s <= 100 for s in scores)
    assert data.advice == ()  # no advice service given: the section prints its "暂无" line


def test_empty_account_gives_a_clean_dossier(demo_store: Store) -> None:
    with demo_store.session() as session:
        territory = session.scalar(select(Account.territory_id).limit(1))
    assert territory is not None
    account_id = AccountService(demo_store).create(
        territory, {"code": "EMPTY01", "name": "空白测试商店", "business_format": "grocery"}
    )
    service = _service(demo_store, advice=True)
    data = service.dossier(account_id)
    assert service.account_id("empty01") == account_id  # codes are found case-blind
    assert data.account.name == "空白测试商店"
    empty = (data.contacts, data.evaluations, data.purchases, data.top_products, data.stock)
    assert empty == ((), (), (), (), ())
    assert (data.debts, data.visits, data.complaints, data.notes) == ((), (), (), ())
    # without history the engine can only point at what peers sell (漏订 / 新品), never a quantity
    assert all(a.suggested_quantity is None for a in data.advice)
    assert {a.action for a in data.advice} <= {dd.AdviceAction.MISSED, dd.AdviceAction.NEW_PRODUCT}
    pdf = parse(render_dossier(data, OPTIONS))
    labels = Labels(Lang.ZH)
    for key in ("empty.contacts", "empty.purchases", "empty.visits", "empty.debt"):
        assert squash(labels.t(key)) in pdf.text


def test_unknown_accounts_and_language_are_refused(demo_store: Store) -> None:
    service = _service(demo_store)
    with pytest.raises(DossierError) as unknown:
        service.account_ids(["HF000001", "NOPE-1"])
    assert unknown.value.code == "dossier.unknown_account" and "NOPE-1" in unknown.value.message
    with pytest.raises(DossierError) as lang:
        service.dossier(service.account_id("HF000001"), lang="fr")
    assert lang.value.code == "dossier.bad_lang"


def test_batch_cancel_keeps_complete_files_only(demo_store: Store, tmp_path: Path) -> None:
    service = _service(demo_store)
    ids = service.account_ids()[:6]
    cancel = threading.Event()
    seen: list[int] = []

    def progress(done: int, total: int, message: str) -> None:
        seen.append(done)
        if done == 2:
            cancel.set()

    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(ExportCancelledError) as stopped:
        export_dossiers(service, ids, folder, options=OPTIONS, progress=progress, cancel=cancel)
    files = sorted(folder.iterdir())  # hidden temporary files would show here too
    assert [p.name for p in files] == sorted(p.name for p in stopped.value.written)
    assert len(files) == 2 and all(p.suffix == ".pdf" for p in files)
    assert all(parse(p.read_bytes()).pages for p in files)  # each one complete
    assert seen == [0, 1, 2]


def test_route_brief_from_the_stored_plan(
    demo_store: Store, demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = _service(demo_store, advice=True)
    with pytest.raises(DossierError) as missing:
        service.route_brief("2026-W48")
    assert missing.value.code == "dossier.no_plan"
    planner = PlanningService(
        demo_store,
        PlanningConfig(office=LatLon(*OFFICE[1])),
        options=SolveOptions(max_iterations=150, seed=2),
    )
    outcome = planner.plan_week(DEMO_TODAY)
    brief = service.route_brief("2026-W48")
    planned = [d for d in outcome.days if d.visit_stops]
    assert [d.day for d in brief.days] == [d.day for d in planned]
    for day, plan_day in zip(brief.days, planned, strict=True):
        assert [s.account_code for s in day.stops] == [s.code for s in plan_day.visit_stops]
        assert [s.sequence for s in day.stops] == list(range(1, len(day.stops) + 1))
        arrivals = [s.arrival for s in day.stops]
        assert arrivals == sorted(arrivals)
    stops = [s for d in brief.days for s in d.stops]
    assert all(s.why_due for s in stops)  # every planned shop says why it is due
    assert any(s.last_visit_on is not None and s.last_visit_on < DEMO_TODAY for s in stops)
    assert any(s.stock_trend for s in stops) and any(s.advice for s in stops)
    one_day = service.route_brief(DEMO_TODAY + timedelta(days=1), "en", day=planned[1].day)
    assert [d.day for d in one_day.days] == [planned[1].day]
    assert all(_english(r) for s in one_day.days[0].stops for r in s.why_due)
    with pytest.raises(DossierError) as outside:
        service.route_brief("2026-W48", day=date(2026, 12, 1))
    assert outside.value.code == "dossier.day_outside_week"
    # the same plan through `kamdesk export route` (one day), end to end
    monkeypatch.setenv(PASSPHRASE_ENV, DEMO_PASSPHRASE)
    target = tmp_path / "tuesday.pdf"
    tuesday = next(d for d in outcome.days if d.day == DEMO_TODAY + timedelta(days=1))
    args = ["export", "route", "--week", "2026-W48", "--day", tuesday.day.isoformat()]
    assert main([*args, "-o", str(target), "--path", str(demo_path)]) == 0
    text = parse(target.read_bytes()).text
    assert squash("线路拜访简报") in text
    assert all(stop.code in text for stop in tuesday.visit_stops)
    elsewhere = {s.code for d in outcome.days if d is not tuesday for s in d.visit_stops}
    assert not any(code in text for code in elsewhere - {s.code for s in tuesday.visit_stops})


def test_bad_week_is_a_clear_error(demo_store: Store) -> None:
    service = _service(demo_store)
    for week in ("2026-48", "2026-W54", "next week"):
        with pytest.raises(DossierError) as bad:
            service.route_brief(week)
        assert bad.value.code == "dossier.bad_week"


def test_advice_never_lists_decided_items(demo_store: Store) -> None:
    """A dismissed item leaves the dossier; open ones stay, most severe first."""
    account_id, *_ = _busy_account(demo_store)
    advice = AdviceService(demo_store, clock=lambda: DEMO_TODAY)
    view = advice.account_advice(account_id, DEMO_TODAY)
    first = view.rows[0]
    service = DossierService(demo_store, advice=advice, clock=lambda: DEMO_TODAY)
    before = service.dossier(account_id)
    assert any(first.reason_zh in a.reasons for a in before.advice)
    advice.decide(first, DecisionState.DISMISSED)
    after = service.dossier(account_id)
    assert not any(first.reason_zh in a.reasons for a in after.advice)
    assert all(isinstance(a, dd.OrderAdvice) and a.reasons for a in after.advice)


def test_a_recorded_visit_shows_with_its_follow_up_and_reminder(demo_store: Store) -> None:
    """A visit recorded through VisitService: newest in the history, its follow-up an open
    reminder, its stock counts the latest stock."""
    from kamdesk.services.planning_candidates import CN_TZ
    from kamdesk.services.visits import FollowUp, VisitInput, VisitService

    service = _service(demo_store)
    account_id = service.account_id("HF000010")
    visits = VisitService(demo_store)
    sheet = visits.count_sheet(account_id)
    product = sheet[0]
    start = datetime(2026, 11, 23, 10, 5, tzinfo=CN_TZ)
    visits.record(
        VisitInput(
            account_id=account_id,
            started_at=start,
            finished_at=start + timedelta(minutes=25),
            summary="春节备货沟通",
            stock_counts={product.product_id: 7},
            follow_ups=(FollowUp("回访春节备货计划", date(2026, 11, 30)),),
        )
    )
    data = service.dossier(account_id)
    newest = data.visits[0]
    assert (newest.visited_on, newest.started_at, newest.ended_at) == (
        DEMO_TODAY,
        time(10, 5),
        time(10, 30),
    )
    assert newest.summary == "春节备货沟通" and "回访春节备货计划" in newest.follow_up
    assert [(r.due_on, r.kind) for r in data.reminders] == [
        (date(2026, 11, 30), dd.ReminderKind.CALLBACK)
    ]
    counted = next(s for s in data.stock if s.product_name == product.name)
    assert (counted.on_hand, counted.counted_on) == (Decimal(7), DEMO_TODAY)
    labels = Labels(Lang.ZH)
    text = parse(render_dossier(data, OPTIONS)).text
    assert squash("回访春节备货计划") in text and squash(labels.t("empty.reminders")) not in text
