"""The audit trail: a card's history lists its own edits and its records', newest first, with
old → new values, and changes other users made on the server once they arrive by sync."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from kamdesk.db.engine import Store
from kamdesk.db.models import Account, AuditEntry, User
from kamdesk.ids import uuid7
from kamdesk.services.accounts import AccountService
from kamdesk.services.audit import AuditService, describe_action, format_change, start_of_day
from kamdesk.services.outbox import BULK_SEED_KEY, SYNC_APPLY_KEY
from kamdesk.services.visits import VisitInput, VisitService
from kamdesk.services.workspace import create_workspace
from kamdesk.sync.apply import apply_changes
from kamdesk.sync.codec import row_to_wire
from tests.helpers.factories import seed_territory

FIELDS = {"code": "HF1", "name": "宏兴烟酒", "business_format": "tobacco_liquor"}
OTHER_CLIENT = "0190a0a0-0000-7000-8000-0000000000aa"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return create_workspace(tmp_path / "w.db")


@pytest.fixture
def account(store: Store) -> str:
    return AccountService(store).create(seed_territory(store), FIELDS)


def _changes(entry: object) -> dict[str, tuple[object, object]]:
    return {c.field: (c.old if c.has_old else "?", c.new) for c in entry.changes}  # type: ignore[attr-defined]


def test_history_lists_card_edits_and_child_records_newest_first(
    store: Store, account: str
) -> None:
    accounts = AccountService(store)
    accounts.update_fields(account, {"phone": "13905510000"})
    accounts.update_fields(account, {"phone": "13905519999", "name": "宏兴烟酒行"})
    contact = accounts.add_contact(account, {"name": "张老板", "phone": "13800000001"})
    accounts.update_contact(contact, {"phone": "13800000002"})
    start = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    visit = VisitService(store).record(
        VisitInput(account, start, start + timedelta(minutes=20), summary="检查陈列")
    )
    other = AccountService(store).create(
        seed_territory(store, "HF-BH", "包河片区"), {**FIELDS, "code": "HF2"}
    )
    AccountService(store).update_fields(other, {"phone": "13911112222"})

    history = AuditService(store).account_history(account)

    assert [e.action for e in history] == [
        "visit.record",
        "contact.update_fields",
        "contact.create",
        "account.update_fields",
        "account.update_fields",
        "account.create",
    ]
    assert all(e.account_id == account and e.source == "local" for e in history)
    assert history[0].entity_id == visit
    assert _changes(history[0])["summary"] == ("?", "检查陈列")
    assert history[1].entity_id == contact
    assert _changes(history[1]) == {"phone": ("13800000001", "13800000002")}
    assert _changes(history[2])["name"] == ("?", "张老板")
    assert _changes(history[3]) == {
        "phone": ("13905510000", "13905519999"),
        "name": ("宏兴烟酒", "宏兴烟酒行"),
    }
    assert _changes(history[4]) == {"phone": ("", "13905510000")}
    assert history[-1].changes and "code" in _changes(history[-1])
    assert [e.at for e in history] == sorted((e.at for e in history), reverse=True)
    assert describe_action(history[1].action) == "Contact edited"
    assert format_change(history[1].changes[0]) == "phone: 13800000001 → 13800000002"
    # the other account's edit is not part of this card's history
    assert {e.account_id for e in AuditService(store).account_history(other)} == {other}


def test_note_and_delete_are_audited_against_the_account(store: Store, account: str) -> None:
    accounts = AccountService(store)
    accounts.add_note(account, "老板下周出差")
    accounts.delete(account)
    history = AuditService(store).account_history(account)
    assert [e.action for e in history[:2]] == ["account.delete", "note.add"]
    assert _changes(history[1]) == {"body": ("?", "老板下周出差")}


def _pulled(store: Store, account: str, *, name: str, client: str, user: str) -> datetime:
    """Apply a pulled server version of the account; returns its server commit time."""
    later = (datetime.now(UTC) + timedelta(minutes=5)).replace(microsecond=0)
    with store.session() as session:
        row = session.get(Account, account)
        assert row is not None
        data = row_to_wire(row)
    data.update(
        name=name,
        srv_seq=int(data["srv_seq"]) + 5,
        _op="account.update_fields",
        _c=client,
        _u=user,
        _t=later.isoformat(),
    )
    with store.session() as session:
        session.info[SYNC_APPLY_KEY] = True
        apply_changes(
            session,
            [{"table": "account", "row_id": account, "op": "PUT", "data": data}],
            "own-client",
            audit=True,
        )
    return later


def test_incoming_change_by_another_user_shows_who_changed_it_on_the_server(
    store: Store, account: str
) -> None:
    user_id = uuid7()
    with store.session() as session:
        session.info[BULK_SEED_KEY] = True
        session.add(User(id=user_id, username="li.na", display_name="李娜", role="supervisor"))
    committed = _pulled(store, account, name="李娜改的名字", client=OTHER_CLIENT, user=user_id)

    latest = AuditService(store).account_history(account)[0]

    assert latest.source == "server"
    assert latest.who == "李娜"
    assert latest.client_id == OTHER_CLIENT
    assert latest.action == "account.update_fields"
    assert latest.at == committed
    assert _changes(latest) == {"name": ("宏兴烟酒", "李娜改的名字")}
    with store.session() as session:
        assert session.get(Account, account).name == "李娜改的名字"  # type: ignore[union-attr]


def test_own_changes_coming_back_and_first_sync_are_not_audited_again(
    store: Store, account: str
) -> None:
    _pulled(store, account, name="echo", client="own-client", user="u1")
    with store.session() as session:
        sources = session.scalars(select(AuditEntry.source)).all()
    assert sources == ["local"]  # only the create; the echo of our own push adds nothing
    with store.session() as session:
        session.info[SYNC_APPLY_KEY] = True
        row = session.get(Account, account)
        assert row is not None
        data = {**row_to_wire(row), "name": "first sync", "srv_seq": 99, "_c": OTHER_CLIENT}
        change = {"table": "account", "row_id": account, "op": "PUT", "data": data}
        apply_changes(session, [change], "own-client")  # first sync: audit off
    assert len(AuditService(store).account_history(account)) == 1


def test_export_csv_is_excel_friendly_and_filters_by_date(
    store: Store, account: str, tmp_path: Path
) -> None:
    AccountService(store).update_fields(account, {"owner_name": "王老板"})
    target = tmp_path / "out" / "history.csv"
    count = AuditService(store).export_csv(target, account_id=account)
    assert count == 2
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens the Chinese correctly
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "Time (China)"
    assert rows[1][1] == "HF1 宏兴烟酒"
    assert rows[1][4] == "Account card edited"
    assert rows[1][5] == "owner_name: — → 王老板"
    later = start_of_day(datetime.now(UTC).date() + timedelta(days=2))
    assert AuditService(store).export_csv(target, since=later) == 0
