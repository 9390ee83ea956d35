"""The desktop sync loop: push the outbox, then pull and apply at a checkpoint.

``SyncEngine.sync_once`` never raises for network trouble: it returns a ``SyncReport`` whose
``error`` code the status bar shows; the outbox is never dropped (not on errors, not on
"upgrade required").
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kamdesk.db import deferred_indexes
from kamdesk.db.base import utcnow
from kamdesk.db.engine import Store
from kamdesk.db.models import OutboxEntry, SyncConflict
from kamdesk.services.outbox import SYNC_APPLY_KEY
from kamdesk.sync import state
from kamdesk.sync.apply import (
    OPEN_STATES,
    REFERRERS,
    apply_changes,
    defer_foreign_keys,
    delete_cascade,
    purge_partition,
    put_row,
    reapply,
    rebase,
    refresh_search_text,
)
from kamdesk.sync.bulk import apply_in_bulk, refresh_search_text_bulk
from kamdesk.sync.codec import TABLES, tablename
from kamdesk.sync.errors import SyncClientError, TransportError
from kamdesk.sync.transport import HttpTransport, Json, Transport
from kamdesk.sync.upgrade import (
    DEFAULT_UPGRADERS,
    SYNC_SCHEMA_VERSION,
    UpgradeMissingError,
    Upgraders,
)

LAST_SYNC = "last_sync"  # sync_state key: {"ok_at": iso time, "error": code or None}
Progress = Callable[[str, int, int | None], None]  # (phase "push"|"pull", done, total or None)


@dataclass(frozen=True, slots=True)
class SyncReport:
    pushed: int = 0  # mutations answered by the server this run
    applied: int = 0
    conflicts: int = 0
    rejected: int = 0
    pulled: int = 0  # changes applied locally
    pending: int = 0  # outbox entries still waiting after this run
    upgrade_required: bool = False
    cancelled: bool = False
    initial_sync_done: bool = False
    error: str | None = None  # machine-readable code, e.g. "sync.offline", "sync.auth"
    error_message: str = ""
    cursors: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """What the status bar shows, read from the local store (no network)."""

    pending: int
    open_issues: int  # unresolved rows of the Sync issues panel
    upgrade_required: bool
    initial_sync_done: bool
    last_sync_at: datetime | None  # last run that reached the server without error
    last_error: str | None


class _Ahead:
    """One pull request running in a helper thread; ``take`` waits for it and returns the
    answer only if it is the request the loop would make now (else ``None``: ask again)."""

    def __init__(self, call: Callable[[Json], Json], request: Json) -> None:
        self.request = request
        self._call = call
        self._answer: Json | None = None
        self._error: Exception | None = None
        self._thread = threading.Thread(target=self._run, name="kamdesk-pull-ahead", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._answer = self._call(self.request)
        except Exception as exc:  # handed to the sync loop by take()
            self._error = exc

    def join(self) -> None:
        self._thread.join()

    def take(self, request: Json) -> Json | None:
        self._thread.join()
        if request != self.request:
            return None
        if self._error is not None:
            raise self._error
        return self._answer


class _Cancelled(Exception):
    pass


class _Paused(Exception):
    pass


@dataclass
class _Tally:
    pushed: int = 0
    applied: int = 0
    conflicts: int = 0
    rejected: int = 0
    pulled: int = 0


def _cascades_into(tables: tuple[str, ...]) -> frozenset[str]:
    """Tables whose rows, when removed, have children to find in ``tables`` (transitively)."""
    reach = set(tables)
    grew = True
    while grew:
        grew = False
        for parent, children in REFERRERS.items():
            if parent not in reach and any(tablename(m) in reach for m, _c in children):
                reach.add(parent)
                grew = True
    return frozenset(reach - set(tables))


_NEEDS_INDEXES = _cascades_into(deferred_indexes.DEFERRED_TABLES)
# Rows per page of a first sync (each page is one committed resume point): large pages mean
# fewer commits and round trips; 20,000 accounts + 2,000,000 lines are about 400 of them.
FIRST_SYNC_PAGE_SIZE = 5000


class SyncEngine:
    def __init__(
        self,
        store: Store,
        transport: Transport,
        client_id: str | None = None,
        *,
        schema_version: int = SYNC_SCHEMA_VERSION,
        app_version: str = "",
        upgraders: Upgraders = DEFAULT_UPGRADERS,
        batch_size: int = 100,
        page_size: int = 500,
        first_sync_page_size: int = FIRST_SYNC_PAGE_SIZE,
        prefetch: bool | None = None,
        retries: int = 3,
        backoff_s: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.store = store
        self.transport = transport
        self.schema_version = schema_version
        self.app_version = app_version
        self.upgraders = upgraders
        self.batch_size = batch_size
        self.page_size = page_size
        self.first_sync_page_size = first_sync_page_size
        # request the next page while applying this one (the server works meanwhile); default
        # on for HTTP only: in-process transports share this thread's databases and order
        self.prefetch = isinstance(transport, HttpTransport) if prefetch is None else prefetch
        self._ahead: _Ahead | None = None
        self.retries = retries
        self.backoff_s = backoff_s
        self.sleep = sleep
        with store.session() as session:
            stored = state.client_id(session) if client_id is None else client_id
            if client_id is not None:
                state.put(session, state.CLIENT, {"client_id": client_id})
        self.client_id = stored

    # -- public ---------------------------------------------------------------------------
    def sync_once(
        self, progress: Progress | None = None, cancel: Callable[[], bool] | None = None
    ) -> SyncReport:
        tally = _Tally()
        error: SyncClientError | None = None
        paused = cancelled = False
        try:
            self._check_pause()
            self._push(tally, progress, cancel)
            self._pull(tally, progress, cancel)
        except _Paused:
            paused = True
        except _Cancelled:
            cancelled = True
        except SyncClientError as exc:
            error = exc
        finally:
            self._drop_ahead()
        with self.store.session() as session:
            pending = self._count_open(session)
            cursors = state.cursors(session)
            initial_done = bool(state.get(session, state.INITIAL).get("done"))
            last = state.get(session, LAST_SYNC)
            if error is None and not cancelled:
                last["ok_at"] = utcnow().isoformat()
            last["error"] = None if error is None else error.code
            state.put(session, LAST_SYNC, last)
        return SyncReport(
            pushed=tally.pushed,
            applied=tally.applied,
            conflicts=tally.conflicts,
            rejected=tally.rejected,
            pulled=tally.pulled,
            pending=pending,
            upgrade_required=paused,
            cancelled=cancelled,
            initial_sync_done=initial_done,
            error=None if error is None else error.code,
            error_message="" if error is None else error.message,
            cursors=cursors,
        )

    def status(self) -> SyncStatus:
        with self.store.session() as session:
            open_issues = int(
                session.scalar(
                    select(func.count())
                    .select_from(SyncConflict)
                    .where(SyncConflict.resolved_at.is_(None))
                )
                or 0
            )
            last = state.get(session, LAST_SYNC)
            initial_done = bool(state.get(session, state.INITIAL).get("done"))
            pending = self._count_open(session)
        ok_at = last.get("ok_at")
        return SyncStatus(
            pending=pending,
            open_issues=open_issues,
            upgrade_required=self.upgrade_required(),
            initial_sync_done=initial_done,
            last_sync_at=datetime.fromisoformat(ok_at) if ok_at else None,
            last_error=last.get("error"),
        )

    def pending_count(self) -> int:
        with self.store.session() as session:
            return self._count_open(session)

    def upgrade_required(self) -> bool:
        with self.store.session() as session:
            pause = state.get(session, state.PAUSE)
        return (
            bool(pause.get("upgrade_required"))
            and int(pause.get("schema_version", 0)) >= self.schema_version
        )

    # -- plumbing ---------------------------------------------------------------------------
    @staticmethod
    def _count_open(session: Session) -> int:
        return int(
            session.scalar(
                select(func.count())
                .select_from(OutboxEntry)
                .where(OutboxEntry.state.in_(OPEN_STATES))
            )
            or 0
        )

    def _call(self, fn: Callable[[Json], Json], request: Json) -> Json:
        delay = self.backoff_s
        for attempt in range(self.retries + 1):
            try:
                return fn(request)
            except TransportError:
                if attempt == self.retries:
                    raise
                self.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    def _check_pause(self) -> None:
        if self.upgrade_required():
            # paused at this version: sync stays off unless the server now accepts us (a
            # rolled-back server, or a stray old answer), which one cheap call tells
            info = self._call(lambda _r: self.transport.info(), {})
            if int(info.get("min_schema", self.schema_version + 1)) > self.schema_version:
                raise _Paused
        with self.store.session() as session:
            if state.get(session, state.PAUSE):
                state.put(session, state.PAUSE, {})  # this build is newer: try again

    def _pause(self, response: Json) -> None:
        with self.store.session() as session:
            state.put(
                session,
                state.PAUSE,
                {
                    "upgrade_required": True,
                    "schema_version": self.schema_version,
                    "min_schema": response.get("min_schema"),
                    "max_schema": response.get("max_schema"),
                },
            )
        raise _Paused

    # -- push -------------------------------------------------------------------------------
    def _next_batch(self) -> list[dict[str, Any]]:
        with self.store.session() as session:
            entries = session.scalars(
                select(OutboxEntry)
                .where(OutboxEntry.state.in_(OPEN_STATES))
                .order_by(OutboxEntry.mutation_id)
                .limit(self.batch_size)
            ).all()
            batch = []
            for entry in entries:
                if not self._upgrade_entry(session, entry):
                    continue
                entry.state = "inflight"
                entry.attempts += 1
                batch.append(
                    {
                        "mutation_id": entry.mutation_id,
                        "name": entry.name,
                        "version": entry.version,
                        "args": entry.args,
                        "base": entry.base,
                        "hlc": entry.hlc,
                        "entity_table": entry.entity_table,
                        "entity_id": entry.entity_id,
                    }
                )
            return batch

    def _upgrade_entry(self, session: Session, entry: OutboxEntry) -> bool:
        if entry.version >= self.upgraders.version_of(entry.name):
            return True
        try:
            version, args, base = self.upgraders.upgrade(
                entry.name, entry.version, dict(entry.args), dict(entry.base)
            )
        except UpgradeMissingError as exc:
            entry.state = "rejected"
            entry.last_error = "mutation.no_upgrader"
            session.add(
                SyncConflict(
                    mutation_id=entry.mutation_id,
                    kind="rejected",
                    entity_table=entry.entity_table,
                    entity_id=entry.entity_id,
                    your_value=entry.args,
                    reason=f"mutation.no_upgrader: {exc}",
                )
            )
            return False
        entry.version, entry.args, entry.base = version, args, base
        return True

    def _push(
        self, tally: _Tally, progress: Progress | None, cancel: Callable[[], bool] | None
    ) -> None:
        total = self.pending_count()
        while True:
            if cancel is not None and cancel():
                raise _Cancelled
            batch = self._next_batch()
            if not batch:
                return
            response = self._call(
                self.transport.push,
                {
                    "client_id": self.client_id,
                    "schema_version": self.schema_version,
                    "app_version": self.app_version,
                    "mutations": batch,
                },
            )
            if response.get("upgrade_required"):
                self._pause(response)
            results = list(response.get("results") or [])
            self._record_results(results, tally)
            if progress is not None:
                progress("push", tally.pushed, total)
            if len(results) < len(batch):
                raise TransportError("The server answered only part of the upload.")

    def _record_results(self, results: list[Json], tally: _Tally) -> None:
        with self.store.session() as session:
            session.info[SYNC_APPLY_KEY] = True
            restored: dict[str, int] = {}  # entity id -> first refused mutation id
            applied_now: list[OutboxEntry] = []
            for result in results:
                entry = session.get(OutboxEntry, int(result["mutation_id"]))
                if entry is None or entry.state not in OPEN_STATES:
                    continue
                status = str(result.get("status"))
                entry.state = (
                    status if status in ("applied", "conflict", "rejected") else "rejected"
                )
                entry.result = {k: v for k, v in result.items() if k != "row"}
                tally.pushed += 1
                if status == "applied":
                    tally.applied += 1
                    applied_now.append(entry)
                    continue
                if status == "rejected":
                    tally.rejected += 1
                    entry.last_error = f"{result.get('reason', '')}: {result.get('message', '')}"
                    session.add(
                        SyncConflict(
                            mutation_id=entry.mutation_id,
                            kind="rejected",
                            entity_table=entry.entity_table,
                            entity_id=entry.entity_id,
                            your_value=entry.args,
                            reason=entry.last_error,
                        )
                    )
                else:
                    tally.conflicts += 1
                    for conflict in result.get("conflicts") or []:
                        session.add(
                            SyncConflict(
                                mutation_id=entry.mutation_id,
                                kind=str(conflict.get("kind")),
                                entity_table=str(conflict.get("entity_table")),
                                entity_id=str(conflict.get("entity_id")),
                                field=conflict.get("field"),
                                base_value=conflict.get("base_value"),
                                their_value=conflict.get("their_value"),
                                your_value=(
                                    conflict.get("your_value")
                                    if conflict.get("field")
                                    else entry.args
                                ),
                                reason=str(conflict.get("reason", "")),
                            )
                        )
                if result.get("seq") is None or any(
                    not c.get("applied") for c in result.get("conflicts") or []
                ):
                    self._restore(session, entry, result.get("row"))
                    restored.setdefault(entry.entity_id, entry.mutation_id)
            if restored:
                defer_foreign_keys(session)
                # the snapshot predates later mutations of this batch: replay those too
                for entry in applied_now:
                    if entry.mutation_id > restored.get(entry.entity_id, entry.mutation_id):
                        reapply(session, entry)
                rebase(session, restored)
                refresh_search_text(
                    session, [(t, i) for t in ("account", "contact") for i in restored]
                )

    @staticmethod
    def _restore(session: Session, entry: OutboxEntry, row: Json | None) -> None:
        """Drop a refused optimistic edit: back to the server's row (or no row at all)."""
        model = TABLES.get(entry.entity_table)
        if model is None:
            return
        if row is not None:
            put_row(session, entry.entity_table, row, force=True)
            return
        local = session.get(model, entry.entity_id)
        if local is not None:
            delete_cascade(session, local)

    # -- pull -------------------------------------------------------------------------------
    def _pull(
        self, tally: _Tally, progress: Progress | None, cancel: Callable[[], bool] | None
    ) -> None:
        with self.store.session() as session:
            cursors = state.cursors(session)
            initial = not state.get(session, state.INITIAL).get("done")
        limit = self.first_sync_page_size if initial else self.page_size
        staged: list[Json] = []
        revoked: list[str] = []
        pages = 0
        while True:
            if cancel is not None and cancel():
                raise _Cancelled
            request = self._pull_request(cursors, limit)
            ahead, self._ahead = self._ahead, None
            response = ahead.take(request) if ahead is not None else None
            if response is None:
                response = self._call(self.transport.pull, request)
            if response.get("upgrade_required"):
                self._pause(response)
            # a late or repeated answer may be behind us: only what is past our cursors counts
            changes = [
                c
                for c in response.get("changes") or []
                if int(c["seq"]) > cursors.get(str(c["partition"]), 0)
            ]
            for change in changes:
                cursors[str(change["partition"])] = int(change["seq"])
            granted = dict(response.get("cursors") or {})
            for part, seq in granted.items():
                cursors[part] = max(cursors.get(part, 0), int(seq))
            more = bool(response.get("more"))
            if not more and granted:  # partitions the token no longer grants: purge them
                revoked = sorted(set(cursors) - set(granted))
                for part in revoked:
                    del cursors[part]
            if more and self.prefetch:
                self._ahead = _Ahead(self._pull_page, self._pull_request(cursors, limit))
            pages += 1
            if initial:  # first sync: every page is its own committed resume point
                tally.pulled += self._apply(
                    changes, cursors, done=not more, revoked=revoked, audit=False, first=True
                )
            else:
                staged.extend(changes)
            if progress is not None:
                progress("pull", pages, None)
            if not more:
                break
        if not initial:
            tally.pulled += self._apply(staged, cursors, done=True, revoked=revoked, audit=True)

    @staticmethod
    def _defer_indexes(session: Session, changes: list[Json]) -> None:
        """Keep the history tables' secondary indexes dropped during a first sync, until a
        page removes a row whose delete would have to search them (a cascade, or SQLite's own
        foreign-key check): from then on this first sync keeps them."""
        progress = state.get(session, state.INITIAL)
        if progress.get("keep_indexes"):
            return
        if any(c["op"] == "REMOVE" and c["table"] in _NEEDS_INDEXES for c in changes):
            deferred_indexes.restore(session.connection())
            state.put(session, state.INITIAL, {**progress, "keep_indexes": True})
            return
        deferred_indexes.defer(session.connection())

    def _pull_request(self, cursors: dict[str, int], limit: int) -> Json:
        return {
            "client_id": self.client_id,
            "schema_version": self.schema_version,
            "cursors": dict(cursors),
            "limit": limit,
        }

    def _pull_page(self, request: Json) -> Json:
        return self._call(self.transport.pull, request)

    def _drop_ahead(self) -> None:
        """Wait for a prefetch nobody will use (cancel, error): no request outlives a run."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            ahead.join()

    def _apply(
        self,
        changes: list[Json],
        cursors: dict[str, int],
        *,
        done: bool,
        revoked: list[str] | None = None,
        audit: bool = False,
        first: bool = False,
    ) -> int:
        """One local transaction: the changes, the checkpoint, the rebase of pending edits.
        ``audit``: record other users' changes in the audit trail (not on the first sync).
        ``first``: a first-sync page; until the last one the history tables' secondary indexes
        stay dropped, and the last page rebuilds them in its own transaction."""
        with self.store.session() as session:
            session.info[SYNC_APPLY_KEY] = True
            previous = state.cursors(session)
            merged = {p: max(previous.get(p, 0), s) for p, s in cursors.items()}
            for part in revoked or ():
                merged.pop(part, None)  # if still granted after all, it simply downloads again
            state.put(session, state.CURSORS, merged)
            if done:
                state.put(session, state.INITIAL, {"done": True})
            session.flush()
            if first and not done:
                self._defer_indexes(session, changes)
            defer_foreign_keys(session)
            if done:  # back before this page's work: its REMOVEs and purges search by index
                deferred_indexes.restore(session.connection())
            for part in revoked or ():
                purge_partition(session, part)
            touched = apply_in_bulk(
                session,
                changes,
                lambda run: apply_changes(session, run, self.client_id, audit=audit),
                bulk=not audit,  # audited rows are compared one by one
            )
            session.flush()
            rebase(session, {row_id for _t, row_id in touched})
            refresh_search_text_bulk(session, touched)
        return len(changes)
