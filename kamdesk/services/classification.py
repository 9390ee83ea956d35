"""Classifying the whole portfolio against the database, and the VIP approval workflow.

``reclassify_all`` aggregates purchases in SQL (classification_sql), runs the pure rules of
``kamdesk.domain.classification`` on plain arrays and writes the derived columns back;
``explain`` (classification_explain) gives one account's full picture for the card.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from kamdesk.db.engine import Store
from kamdesk.db.models import Account
from kamdesk.domain.classification import (
    AbcConfig,
    ClassificationError,
    EvaluationWeights,
    KeyAccountConfig,
    LifecycleConfig,
    LifecycleInput,
    VipConfig,
    VipStatus,
    VipTrigger,
    infer_lifecycle,
    pareto_split,
)
from kamdesk.domain.classification import approve_vip as _approve
from kamdesk.domain.classification import propose_vip as _propose
from kamdesk.domain.classification import reject_vip as _reject
from kamdesk.domain.classification import withdraw_vip as _withdraw
from kamdesk.domain.enums import AbcTier, AccountStatus, ApprovalState, LifecycleStage, Role
from kamdesk.domain.explain import to_decimal
from kamdesk.errors import KamdeskError, NotFoundError, ValidationError
from kamdesk.services.classification_explain import AccountClassification, explain_account
from kamdesk.services.classification_sql import (
    data_fingerprint,
    last_visits,
    purchase_aggregates,
    trailing_amounts,
)
from kamdesk.services.outbox import BULK_SEED_KEY, record_mutation

Progress = Callable[[int, int, str], None]
_TIERS = (AbcTier.A.value, AbcTier.B.value, AbcTier.C.value)
_STEPS = 5


class ClassificationServiceError(KamdeskError):
    """A classification step the user asked for cannot be done; ``code`` says why."""

    code = "classification"


class ReclassifyCancelled(ClassificationServiceError):
    code = "classification.cancelled"


@dataclass(frozen=True, slots=True)
class ClassificationConfig:
    """Every rule's thresholds in one place (defaults follow docs/domain.md)."""

    abc: AbcConfig = field(default_factory=AbcConfig)
    vip: VipConfig = field(default_factory=VipConfig)
    lifecycle: LifecycleConfig = field(default_factory=LifecycleConfig)
    key_account: KeyAccountConfig = field(default_factory=KeyAccountConfig)
    evaluation: EvaluationWeights = field(default_factory=EvaluationWeights)


@dataclass(frozen=True, slots=True)
class ReclassifySummary:
    as_of: date
    accounts: int
    tier_counts: dict[str, int]  # computed tiers
    stage_counts: dict[str, int]  # computed stages
    a_value_share: float  # share of trailing value bought by computed A accounts
    tiers_changed: int
    stages_changed: int
    vip_candidates_new: int  # accounts this run proposed as VIP candidates
    seconds: float


@dataclass(frozen=True, slots=True)
class _AccountState:
    id: str
    status: str
    abc_tier: str
    lifecycle_stage: str
    lifecycle_override: str | None
    vip_state: str


class ClassificationService:
    def __init__(self, store: Store, actor_id: str | None = None) -> None:
        self._store = store
        self._actor = actor_id
        self._last_fingerprint: tuple[Any, ...] | None = None
        # trailing amounts of every account for ABC ranks in ``explain``, by data version
        self._totals: tuple[tuple[Any, ...], dict[str, int]] | None = None

    # -- the whole portfolio -----------------------------------------------------------------
    def reclassify_all(
        self,
        as_of: date,
        config: ClassificationConfig | None = None,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
        *,
        seed: bool = False,
    ) -> ReclassifySummary:
        """Recompute ABC tiers, lifecycle stages and VIP candidates of every live account.

        Manual overrides are never touched. ``seed=True`` is for demo workspaces, which never
        sync: VIP candidates are then written without outbox entries.
        """
        cfg = config or ClassificationConfig()
        started = time.perf_counter()

        def step(done: int, message: str) -> None:
            if cancel is not None and cancel.is_set():
                raise ReclassifyCancelled("Reclassification was cancelled; nothing was changed.")
            if progress is not None:
                progress(done, _STEPS, message)

        with self._store.session() as session:
            step(0, "accounts")
            states = _load_states(session)
            ids = [s.id for s in states]
            fingerprint = data_fingerprint(session)
            step(1, "purchases")
            agg = purchase_aggregates(session, ids, as_of)
            visits = last_visits(session, as_of)
            step(2, "tiers")
            split = pareto_split(
                agg.trailing.astype("float64"), cfg.abc.a_share, cfg.abc.b_share, ids
            )
            tiers = [_TIERS[t] for t in split.tiers.tolist()]
            step(3, "lifecycle")
            stages = _lifecycle_stages(states, agg, visits, as_of, cfg.lifecycle)
            vip_hits = (agg.best_order >= _fen(cfg.vip.single_purchase)) | (
                agg.best_month >= _fen(cfg.vip.monthly_total)
            )
            step(4, "writing")
            # abc_tier and lifecycle_stage are pure local computations that every client
            # derives from the same synced purchases, so they are written with a Core update
            # and no outbox entry (the brief's rule for derived columns).
            changes = [
                {"b_id": s.id, "b_tier": t, "b_stage": st}
                for s, t, st in zip(states, tiers, stages, strict=True)
                if s.abc_tier != t or s.lifecycle_stage != st
            ]
            if changes:
                session.execute(
                    update(Account.__table__)  # type: ignore[arg-type]
                    .where(Account.__table__.c.id == bindparam("b_id"))
                    .values(abc_tier=bindparam("b_tier"), lifecycle_stage=bindparam("b_stage")),
                    changes,
                )
            single_hits = (agg.best_order >= _fen(cfg.vip.single_purchase)).tolist()
            candidates = {
                s.id: VipTrigger.SINGLE_PURCHASE if single else VipTrigger.MONTHLY_TOTAL
                for s, hit, single in zip(states, vip_hits.tolist(), single_hits, strict=True)
                if hit and s.vip_state == ApprovalState.NONE.value
            }
            self._propose_candidates(session, candidates, as_of, seed=seed)
            summary = ReclassifySummary(
                as_of=as_of,
                accounts=len(states),
                tier_counts={t: tiers.count(t) for t in _TIERS},
                stage_counts=dict(Counter(stages)),
                a_value_share=_a_share(split.cumulative_share, tiers),
                tiers_changed=sum(1 for s, t in zip(states, tiers, strict=True) if s.abc_tier != t),
                stages_changed=sum(
                    1 for s, st in zip(states, stages, strict=True) if s.lifecycle_stage != st
                ),
                vip_candidates_new=len(candidates),
                seconds=0.0,
            )
        self._last_fingerprint = (as_of, cfg, fingerprint)
        if cfg.abc.window_months == 12:
            totals = dict(zip(ids, agg.trailing.tolist(), strict=True))
            self._totals = ((as_of, 12, fingerprint), totals)
        if progress is not None:
            progress(_STEPS, _STEPS, "done")
        return _with_seconds(summary, time.perf_counter() - started)

    def reclassify_if_stale(
        self,
        as_of: date,
        config: ClassificationConfig | None = None,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> ReclassifySummary | None:
        """``reclassify_all`` when the data changed since the last run, else None (for
        ``TaskRunner.run`` after imports, syncs or on start-up)."""
        if not self.is_stale(as_of, config):
            return None
        return self.reclassify_all(as_of, config, progress, cancel)

    def is_stale(self, as_of: date, config: ClassificationConfig | None = None) -> bool:
        """True when purchases, visits or accounts changed since the last ``reclassify_all``."""
        cfg = config or ClassificationConfig()
        with self._store.session() as session:
            current = (as_of, cfg, data_fingerprint(session))
        return current != self._last_fingerprint

    def _propose_candidates(
        self, session: Session, triggers: dict[str, VipTrigger], as_of: date, *, seed: bool
    ) -> None:
        """Rule hits become VIP candidates: a visible state change, so it goes to the outbox."""
        if not triggers:
            return
        account_ids = sorted(triggers)
        first = True
        if seed:
            session.info[BULK_SEED_KEY] = True
        try:
            for start in range(0, len(account_ids), 500):
                chunk = account_ids[start : start + 500]
                chosen = session.scalars(select(Account).where(Account.id.in_(chunk))).all()
                for account in chosen:
                    status = _propose(
                        VipStatus(ApprovalState(account.vip_state)),
                        triggers[account.id],
                        by=self._actor or "system",
                        on=as_of,
                    )
                    if seed:
                        account.vip_state = status.state.value
                        continue
                    self._write_vip(session, account, {"vip_state": status.state.value})
                    if first:  # later mutations find the clock row in the identity map
                        session.flush()
                        first = False
            session.flush()  # while the bulk-seed flag still holds
        finally:
            session.info.pop(BULK_SEED_KEY, None)

    # -- one account ------------------------------------------------------------------------
    def explain(
        self, account_id: str, as_of: date, config: ClassificationConfig | None = None
    ) -> AccountClassification:
        """Every classification of one account with its explanation and numbers."""
        cfg = config or ClassificationConfig()
        with self._store.session() as session:
            key = (as_of, cfg.abc.window_months, data_fingerprint(session))
            if self._totals is None or self._totals[0] != key:
                self._totals = (key, trailing_amounts(session, as_of, cfg.abc.window_months))
            return explain_account(session, account_id, as_of, cfg, self._totals[1])

    # -- VIP approval -----------------------------------------------------------------------
    def propose_vip(self, account_id: str, *, on: date, note: str = "") -> str:
        """A manager proposes the account as VIP (a supervisor decides). Returns the state."""

        def move(status: VipStatus) -> VipStatus:
            return _propose(
                status, VipTrigger.MANAGER_PROPOSAL, by=self._actor or "", on=on, note=note
            )

        return self._vip_step(account_id, move, requested=True)

    def approve_vip(
        self, account_id: str, actor_role: Role | str, *, on: date | None = None, note: str = ""
    ) -> str:
        role = _role(actor_role)
        day = on or date.today()
        return self._vip_step(
            account_id,
            lambda s: _approve(s, by=self._actor or "", role=role, on=day, note=note),
            decided=True,
        )

    def reject_vip(
        self, account_id: str, actor_role: Role | str, *, on: date | None = None, note: str = ""
    ) -> str:
        role = _role(actor_role)
        day = on or date.today()
        return self._vip_step(
            account_id,
            lambda s: _reject(s, by=self._actor or "", role=role, on=day, note=note),
            decided=True,
        )

    def withdraw_vip(
        self, account_id: str, actor_role: Role | str, *, on: date | None = None, note: str = ""
    ) -> str:
        """Withdraw a candidacy, or (supervisors only) revoke an approved VIP."""
        role = _role(actor_role)
        day = on or date.today()
        return self._vip_step(
            account_id,
            lambda s: _withdraw(s, by=self._actor or "", role=role, on=day, note=note),
            decided=True,
        )

    def _vip_step(
        self,
        account_id: str,
        move: Callable[[VipStatus], VipStatus],
        *,
        requested: bool = False,
        decided: bool = False,
    ) -> str:
        with self._store.session() as session:
            account = session.get(Account, account_id)
            if account is None or account.deleted:
                raise NotFoundError(f"No account {account_id}.", code="account.not_found")
            try:
                status = move(VipStatus(ApprovalState(account.vip_state)))
            except ClassificationError as exc:
                raise ClassificationServiceError(exc.message, code=exc.code) from exc
            fields: dict[str, Any] = {"vip_state": status.state.value}
            if requested:
                fields["vip_requested_by"] = self._actor
            if decided:
                fields["vip_decided_by"] = self._actor
            self._write_vip(session, account, fields)
            return status.state.value

    def _write_vip(self, session: Session, account: Account, fields: dict[str, Any]) -> None:
        changed = {k: v for k, v in fields.items() if getattr(account, k) != v}
        if not changed:
            return
        base = {k: int(account.field_seq.get(k, account.srv_seq)) for k in changed}
        for name, value in changed.items():
            setattr(account, name, value)
        record_mutation(
            session,
            "account.update_fields",
            entity_table="account",
            entity_id=account.id,
            args={"fields": changed},
            base=base,
            actor=self._actor,
        )


def _load_states(session: Session) -> list[_AccountState]:
    rows = session.execute(
        select(
            Account.id,
            Account.status,
            Account.abc_tier,
            Account.lifecycle_stage,
            Account.lifecycle_override,
            Account.vip_state,
        )
        .where(Account.deleted.is_(False))
        .order_by(Account.id)
    ).all()
    return [_AccountState(*row) for row in rows]


def _lifecycle_stages(
    states: list[_AccountState],
    agg: Any,
    visits: dict[str, date],
    as_of: date,
    cfg: LifecycleConfig,
) -> list[str]:
    monthly = agg.monthly / 100.0  # fen -> yuan, as the rule's explanations quote them
    stages: list[str] = []
    for i, s in enumerate(states):
        override = _stage_or_none(s.lifecycle_override)
        item = LifecycleInput(
            s.id,
            as_of,
            monthly[i],
            agg.first_purchase[i],
            agg.last_purchase[i],
            visits.get(s.id),
            s.status == AccountStatus.CLOSED.value,
            override,
        )
        stages.append(infer_lifecycle(item, cfg).computed.value)
    return stages


def _stage_or_none(value: str | None) -> LifecycleStage | None:
    try:
        return LifecycleStage(value) if value else None
    except ValueError:
        return None


def _a_share(cumulative: Any, tiers: list[str]) -> float:
    a_count = tiers.count(AbcTier.A.value)
    return float(cumulative[a_count - 1]) if a_count and len(cumulative) else 0.0


def _fen(amount: Any) -> int:
    return int(to_decimal(amount) * 100)


def _role(value: Role | str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise ValidationError(f"Unknown role {value!r}.", field="role") from None


def _with_seconds(summary: ReclassifySummary, seconds: float) -> ReclassifySummary:
    from dataclasses import replace

    return replace(summary, seconds=round(seconds, 3))
