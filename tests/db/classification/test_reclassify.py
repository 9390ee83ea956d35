"""reclassify_all on the 300-account demo: tiers, stages, overrides, idempotence, no outbox."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select, text, update

from kamdesk.db.engine import Store
from kamdesk.db.models import Account, OutboxEntry
from kamdesk.domain.classification import trailing_start
from kamdesk.services.classification import (
    ClassificationConfig,
    ClassificationService,
    ReclassifyCancelled,
)
from tests.conftest import DEMO_TODAY


def _trailing_fen(store: Store, as_of: date = DEMO_TODAY) -> dict[str, int]:
    """Independent reference: a plain SQL sum per account over the trailing 12 months."""
    with store.session() as s:
        rows = s.execute(
            text(
                "SELECT a.id, COALESCE(SUM(p.amount_fen), 0) FROM account a "
                "LEFT JOIN purchase_line p ON p.account_id = a.id AND p.deleted = 0 "
                "AND p.purchased_on >= :start AND p.purchased_on <= :end "
                "WHERE a.deleted = 0 GROUP BY a.id"
            ),
            {"start": trailing_start(as_of).isoformat(), "end": as_of.isoformat()},
        ).all()
    return {i: int(v) for i, v in rows}


def _columns(store: Store) -> dict[str, tuple[str, str, str | None, str | None, str]]:
    with store.session() as s:
        rows = s.execute(
            select(
                Account.id,
                Account.abc_tier,
                Account.lifecycle_stage,
                Account.abc_override,
                Account.lifecycle_override,
                Account.status,
            ).where(Account.deleted.is_(False))
        ).all()
    return {r[0]: tuple(r[1:]) for r in rows}  # type: ignore[misc]


def _outbox(store: Store) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.count()).select_from(OutboxEntry)) or 0)


def _reset_derived(store: Store) -> None:
    with store.session() as s:
        s.execute(update(Account).values(abc_tier="C", lifecycle_stage="prospect"))


def test_tiers_cover_every_account_and_a_holds_the_configured_share(demo_store: Store) -> None:
    _reset_derived(demo_store)
    summary = ClassificationService(demo_store).reclassify_all(DEMO_TODAY)
    cols = _columns(demo_store)
    assert summary.accounts == len(cols) == 300
    assert sum(summary.tier_counts.values()) == 300
    stored = {t: sum(1 for c in cols.values() if c[0] == t) for t in "ABC"}
    assert stored == summary.tier_counts
    assert summary.tiers_changed > 0
    totals = _trailing_fen(demo_store)
    a_value = sum(v for i, v in totals.items() if cols[i][0] == "A")
    ab_value = sum(v for i, v in totals.items() if cols[i][0] in "AB")
    total = sum(totals.values())
    cfg = ClassificationConfig()
    assert a_value / total >= cfg.abc.a_share - 1e-9
    assert ab_value / total >= cfg.abc.b_share - 1e-9
    assert summary.a_value_share == pytest.approx(a_value / total)
    # every A account bought at least as much as every B account, B at least as much as C
    lowest_a = min(v for i, v in totals.items() if cols[i][0] == "A")
    highest_b = max(v for i, v in totals.items() if cols[i][0] == "B")
    highest_c = max(v for i, v in totals.items() if cols[i][0] == "C")
    assert lowest_a > highest_b >= highest_c


def test_lifecycle_is_written_and_closed_accounts_have_ended(demo_store: Store) -> None:
    _reset_derived(demo_store)
    summary = ClassificationService(demo_store).reclassify_all(DEMO_TODAY)
    cols = _columns(demo_store)
    stages = {c[1] for c in cols.values()}
    assert {"maturity", "decline", "ended"} <= stages
    assert sum(summary.stage_counts.values()) == 300
    for stage, n in summary.stage_counts.items():
        assert sum(1 for c in cols.values() if c[1] == stage) == n
    closed = [c for c in cols.values() if c[4] == "closed"]
    assert closed
    assert all(c[1] == "ended" for c in closed)
    prospects = [c for c in cols.values() if c[4] == "prospect"]
    assert prospects
    assert all(c[1] == "prospect" and c[0] == "C" for c in prospects)


def test_derived_columns_skip_the_outbox_and_a_rerun_changes_nothing(demo_store: Store) -> None:
    service = ClassificationService(demo_store)
    _reset_derived(demo_store)
    before = _outbox(demo_store)
    first = service.reclassify_all(DEMO_TODAY)
    assert first.tiers_changed > 0
    assert first.vip_candidates_new == 0  # the demo build already proposed them
    assert _outbox(demo_store) == before  # tiers and stages are local computations
    snapshot = _columns(demo_store)
    again = service.reclassify_all(DEMO_TODAY)
    assert (again.tiers_changed, again.stages_changed, again.vip_candidates_new) == (0, 0, 0)
    assert again.tier_counts == first.tier_counts
    assert again.stage_counts == first.stage_counts
    assert _columns(demo_store) == snapshot
    assert _outbox(demo_store) == before


def test_manual_overrides_are_never_touched(demo_store: Store) -> None:
    cols = _columns(demo_store)
    a_account = next(i for i, c in cols.items() if c[0] == "A")
    active = next(i for i, c in cols.items() if c[4] == "active" and c[1] == "maturity")
    with demo_store.session() as s:
        s.execute(update(Account).where(Account.id == a_account).values(abc_override="C"))
        s.execute(update(Account).where(Account.id == active).values(lifecycle_override="decline"))
    service = ClassificationService(demo_store)
    service.reclassify_all(DEMO_TODAY)
    after = _columns(demo_store)
    assert after[a_account][0] == "A"  # computed value still written
    assert after[a_account][2] == "C"  # the override is kept
    assert after[active][1] == "maturity"
    assert after[active][3] == "decline"
    explained = service.explain(a_account, DEMO_TODAY)
    assert explained.abc.computed.value == "A"
    assert explained.abc.effective.value == "C"
    assert "人工指定为C类" in explained.abc.explanation.zh
    lifecycle = service.explain(active, DEMO_TODAY).lifecycle
    assert lifecycle.effective.value == "decline"
    assert lifecycle.needs_retention_visit


def test_vip_rule_hits_become_candidates_through_the_outbox(demo_store: Store) -> None:
    with demo_store.session() as s:
        candidates = s.scalars(select(Account.id).where(Account.vip_state == "candidate")).all()
        assert candidates  # the demo build proposed the rule hits
        s.execute(update(Account).values(vip_state="none"))
    before = _outbox(demo_store)
    summary = ClassificationService(demo_store).reclassify_all(DEMO_TODAY)
    assert summary.vip_candidates_new == len(candidates)
    with demo_store.session() as s:
        entries = s.scalars(select(OutboxEntry).where(OutboxEntry.mutation_id > 0)).all()
        again = s.scalars(select(Account.id).where(Account.vip_state == "candidate")).all()
    assert sorted(again) == sorted(candidates)
    new = entries[before:]
    assert len(new) == len(candidates)
    assert all(e.name == "account.update_fields" for e in new)
    assert all(e.args == {"fields": {"vip_state": "candidate"}} for e in new)


def test_cancel_leaves_everything_unchanged(demo_store: Store) -> None:
    _reset_derived(demo_store)
    before = _columns(demo_store)
    cancel = threading.Event()
    seen: list[str] = []

    def progress(done: int, total: int, message: str) -> None:
        seen.append(message)
        if done >= 2:
            cancel.set()

    with pytest.raises(ReclassifyCancelled) as info:
        ClassificationService(demo_store).reclassify_all(
            DEMO_TODAY, progress=progress, cancel=cancel
        )
    assert info.value.code == "classification.cancelled"
    assert seen[:2] == ["accounts", "purchases"]
    assert _columns(demo_store) == before


def test_staleness_follows_the_data(demo_store: Store) -> None:
    service = ClassificationService(demo_store)
    assert service.is_stale(DEMO_TODAY)
    assert service.reclassify_if_stale(DEMO_TODAY) is not None
    assert not service.is_stale(DEMO_TODAY)
    assert service.reclassify_if_stale(DEMO_TODAY) is None
    assert service.is_stale(date(2026, 11, 24))
    with demo_store.session() as s:
        s.execute(
            update(Account)
            .where(Account.code == s.scalar(select(func.min(Account.code))))
            .values(deleted=True)
        )
    assert service.is_stale(DEMO_TODAY)


def test_two_connection_aggregation_matches_one_pass(
    demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kamdesk.services import classification_sql

    with demo_store.session() as s:
        ids = list(s.scalars(select(Account.id).where(Account.deleted.is_(False))))
        single = classification_sql.purchase_aggregates(s, ids, DEMO_TODAY)
    monkeypatch.setattr(classification_sql, "_PARALLEL_FROM", 10)
    with demo_store.session() as s:
        split = classification_sql.purchase_aggregates(s, ids, DEMO_TODAY)
    assert (split.monthly == single.monthly).all()
    assert (split.trailing == single.trailing).all()
    assert (split.best_order == single.best_order).all()
    assert (split.best_month == single.best_month).all()
    assert split.first_purchase == single.first_purchase
    assert split.last_purchase == single.last_purchase
    assert int(single.trailing.sum()) == sum(_trailing_fen(demo_store).values())
