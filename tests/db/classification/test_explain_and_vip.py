"""explain() carries the numbers; the VIP approval workflow checks roles and transitions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select, text, update

from kamdesk.db.engine import Store
from kamdesk.db.models import Account, OutboxEntry
from kamdesk.domain.classification import trailing_start
from kamdesk.domain.enums import ApprovalState, Role
from kamdesk.domain.explain import format_cny
from kamdesk.errors import NotFoundError, ValidationError
from kamdesk.services.classification import ClassificationService, ClassificationServiceError
from tests.conftest import DEMO_TODAY


def _first(store: Store, **where: str) -> str:
    with store.session() as s:
        stmt = select(Account.id).order_by(Account.code)
        for name, value in where.items():
            stmt = stmt.where(getattr(Account, name) == value)
        return str(s.scalars(stmt.limit(1)).one())


def test_abc_explanation_quotes_rank_share_and_amount(demo_store: Store) -> None:
    account_id = _first(demo_store, abc_tier="A")
    with demo_store.session() as s:
        fen = s.scalar(
            text(
                "SELECT SUM(amount_fen) FROM purchase_line WHERE account_id = :a AND deleted = 0 "
                "AND purchased_on >= :start AND purchased_on <= :end"
            ),
            {
                "a": account_id,
                "start": trailing_start(DEMO_TODAY).isoformat(),
                "end": DEMO_TODAY.isoformat(),
            },
        )
    result = ClassificationService(demo_store).explain(account_id, DEMO_TODAY)
    amount = Decimal(int(fen)) / 100
    assert result.abc.computed.value == "A"
    assert result.abc.amount == amount
    assert result.abc.explanation.fact("amount") == amount
    assert result.abc.explanation.fact("rank") == result.abc.rank
    zh = result.abc.explanation.zh
    assert zh.startswith("A：前")
    assert f"本户排名第{result.abc.rank}" in zh
    assert format_cny(amount) in zh
    assert result.abc_stored == "A"
    assert 0 < result.abc.cumulative_share <= 0.8 + 1e-9


def test_every_classification_is_explained_with_numbers(demo_store: Store) -> None:
    account_id = _first(demo_store, abc_tier="A", vip_state="candidate")
    r = ClassificationService(demo_store).explain(account_id, DEMO_TODAY)
    assert r.vip.state is ApprovalState.CANDIDATE
    assert r.vip.assessment.is_candidate
    assert "VIP候选" in r.vip.explanation.zh
    assert "≥" in r.vip.explanation.zh
    assert len(r.key_account.verdicts) == 6
    assert "近12个月" in r.key_account.explanation.zh
    assert r.lifecycle.explanation.fact("stage") == r.lifecycle.computed.value
    assert r.relationship is not None
    assert r.man is None  # not a prospect
    if r.evaluation is not None:
        assert r.evaluation_history[-1].total == r.evaluation.total
        assert "综合评分" in r.evaluation.explanation.zh


def test_prospects_get_a_man_verdict_with_a_next_step(demo_store: Store) -> None:
    account_id = _first(demo_store, status="prospect")
    r = ClassificationService(demo_store).explain(account_id, DEMO_TODAY)
    assert r.man is not None
    assert r.man.verdict.code.upper() == "MAN"
    assert r.man.verdict.explanation.zh.startswith(r.man.verdict.code + "：")
    assert r.lifecycle.computed.value == "prospect"
    assert r.abc.explanation.zh.startswith("C：近12个月无进货")


def test_unknown_account_is_not_found(demo_store: Store) -> None:
    with pytest.raises(NotFoundError):
        ClassificationService(demo_store).explain("nope", DEMO_TODAY)


def _vip_outbox(store: Store, account_id: str) -> list[dict[str, object]]:
    with store.session() as s:
        rows = s.scalars(
            select(OutboxEntry.args)
            .where(OutboxEntry.entity_id == account_id)
            .order_by(OutboxEntry.mutation_id)
        ).all()
    return list(rows)


def test_a_manager_cannot_approve_a_supervisor_can(demo_store: Store) -> None:
    account_id = _first(demo_store, vip_state="candidate")
    service = ClassificationService(demo_store, actor_id="sup-1")
    with pytest.raises(ClassificationServiceError) as info:
        service.approve_vip(account_id, Role.MANAGER, on=DEMO_TODAY)
    assert info.value.code == "classification.vip.not_allowed"
    assert _vip_outbox(demo_store, account_id) == []
    assert service.approve_vip(account_id, "supervisor", on=DEMO_TODAY) == "approved"
    with demo_store.session() as s:
        row = s.get(Account, account_id)
        assert row is not None
        assert (row.vip_state, row.vip_decided_by) == ("approved", "sup-1")
    assert _vip_outbox(demo_store, account_id) == [
        {"fields": {"vip_state": "approved", "vip_decided_by": "sup-1"}}
    ]
    with pytest.raises(ClassificationServiceError) as twice:
        service.approve_vip(account_id, Role.SUPERVISOR, on=DEMO_TODAY)
    assert twice.value.code == "classification.vip.invalid_transition"
    # revoking an approved VIP is also a supervisor's decision
    with pytest.raises(ClassificationServiceError):
        service.withdraw_vip(account_id, Role.MANAGER, on=DEMO_TODAY)
    assert service.withdraw_vip(account_id, Role.ADMIN, on=DEMO_TODAY) == "none"


def test_reject_then_propose_again(demo_store: Store) -> None:
    account_id = _first(demo_store, vip_state="candidate")
    manager = ClassificationService(demo_store, actor_id="mgr-1")
    with pytest.raises(ClassificationServiceError):
        manager.reject_vip(account_id, Role.MANAGER, on=DEMO_TODAY)
    supervisor = ClassificationService(demo_store, actor_id="sup-1")
    assert supervisor.reject_vip(account_id, Role.SUPERVISOR, on=DEMO_TODAY) == "rejected"
    assert manager.propose_vip(account_id, on=DEMO_TODAY) == "candidate"
    with demo_store.session() as s:
        row = s.get(Account, account_id)
        assert row is not None
        assert row.vip_requested_by == "mgr-1"
    # a rejected account is not re-proposed by the purchase rules on their own
    assert supervisor.reject_vip(account_id, Role.SUPERVISOR, on=DEMO_TODAY) == "rejected"
    supervisor.reclassify_all(DEMO_TODAY)
    with demo_store.session() as s:
        assert s.scalar(select(Account.vip_state).where(Account.id == account_id)) == "rejected"


def test_bad_role_and_missing_account_are_specific_errors(demo_store: Store) -> None:
    account_id = _first(demo_store, vip_state="candidate")
    service = ClassificationService(demo_store)
    with pytest.raises(ValidationError) as info:
        service.approve_vip(account_id, "boss", on=DEMO_TODAY)
    assert info.value.field == "role"
    with pytest.raises(NotFoundError):
        service.approve_vip("missing", Role.SUPERVISOR, on=DEMO_TODAY)


def test_voided_lines_do_not_count(demo_store: Store) -> None:
    """A correction that voids a line replaces it: the voided amount leaves the totals."""
    account_id = _first(demo_store, abc_tier="A")
    service = ClassificationService(demo_store)
    before = service.explain(account_id, DEMO_TODAY).abc.amount
    with demo_store.session() as s:
        line_id, fen = s.execute(
            text(
                "SELECT id, amount_fen FROM purchase_line WHERE account_id = :a "
                "AND purchased_on >= '2026-06-01' ORDER BY id LIMIT 1"
            ),
            {"a": account_id},
        ).one()
        s.execute(
            text(
                "INSERT INTO purchase_line (id, srv_seq, deleted, created_at, updated_at, "
                "account_id, product_id, purchased_on, order_ref, quantity, amount_fen, settled, "
                "outstanding_fen, voids_id) SELECT 'void-1', 0, 0, created_at, updated_at, "
                "account_id, product_id, purchased_on, 'FIX-1', 0, 0, 1, 0, id "
                "FROM purchase_line WHERE id = :id"
            ),
            {"id": line_id},
        )
        s.execute(update(Account).values(abc_tier="C"))
    after = service.explain(account_id, DEMO_TODAY).abc.amount
    assert after == before - Decimal(int(fen)) / 100
    service.reclassify_all(DEMO_TODAY)
    with demo_store.session() as s:
        assert s.scalar(select(func.count()).where(Account.abc_tier == "A")) > 0
