"""Every local change writes its outbox row in the same transaction, and nothing else can."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from kamdesk.db.engine import Store
from kamdesk.db.models import Account, AuditEntry, OutboxEntry
from kamdesk.errors import ValidationError
from kamdesk.services.accounts import AccountService
from kamdesk.services.outbox import SYNC_APPLY_KEY, OutboxMissingError
from kamdesk.services.workspace import create_workspace
from tests.helpers.factories import seed_territory

FIELDS = {"code": "HF1", "name": "宏兴烟酒", "business_format": "tobacco_liquor"}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return create_workspace(tmp_path / "w.db")


@pytest.fixture
def territory(store: Store) -> str:
    return seed_territory(store)


def _outbox(store: Store) -> list[OutboxEntry]:
    with store.session() as session:
        return list(session.scalars(select(OutboxEntry).order_by(OutboxEntry.mutation_id)))


def test_create_and_update_queue_named_mutations(store: Store, territory: str) -> None:
    service = AccountService(store)
    account_id = service.create(territory, FIELDS)
    changed = service.update_fields(account_id, {"phone": "13905510000", "name": "宏兴烟酒"})
    assert changed == {"phone": "13905510000"}  # unchanged fields are not sent
    entries = _outbox(store)
    assert [e.name for e in entries] == ["account.create", "account.update_fields"]
    assert entries[1].args == {"fields": {"phone": "13905510000"}}
    assert entries[1].base == {"phone": 0}
    assert entries[0].mutation_id < entries[1].mutation_id
    assert entries[0].hlc < entries[1].hlc
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 2


def test_invalid_edit_changes_nothing(store: Store, territory: str) -> None:
    service = AccountService(store)
    account_id = service.create(territory, FIELDS)
    with pytest.raises(ValidationError) as err:
        service.update_fields(account_id, {"phone": "call me", "name": "新名字"})
    assert err.value.field == "phone"
    with store.session() as session:
        assert session.get(Account, account_id).name == "宏兴烟酒"  # type: ignore[union-attr]
    assert len(_outbox(store)) == 1


def test_direct_orm_write_without_mutation_is_refused(store: Store, territory: str) -> None:
    account_id = AccountService(store).create(territory, FIELDS)
    with pytest.raises(OutboxMissingError), store.session() as session:
        account = session.get(Account, account_id)
        assert account is not None
        account.name = "偷偷改名"
        session.flush()
    with store.session() as session:
        assert session.get(Account, account_id).name == "宏兴烟酒"  # type: ignore[union-attr]


def test_failure_after_outbox_rolls_back_both(store: Store, territory: str) -> None:
    service = AccountService(store)
    account_id = service.create(territory, FIELDS)
    with pytest.raises(RuntimeError), store.session() as session:
        from kamdesk.services.outbox import record_mutation

        account = session.get(Account, account_id)
        assert account is not None
        account.phone = "13900000000"
        record_mutation(
            session,
            "account.update_fields",
            entity_table="account",
            entity_id=account_id,
            args={"fields": {"phone": "13900000000"}},
        )
        session.flush()
        raise RuntimeError("power cut")
    assert len(_outbox(store)) == 1
    with store.session() as session:
        assert session.get(Account, account_id).phone == ""  # type: ignore[union-attr]


def test_sync_apply_needs_no_outbox(store: Store, territory: str) -> None:
    account_id = AccountService(store).create(territory, FIELDS)
    with store.session() as session:
        session.info[SYNC_APPLY_KEY] = True
        account = session.get(Account, account_id)
        assert account is not None
        account.name = "服务器版本"
    assert len(_outbox(store)) == 1


def test_duplicate_code_is_rejected_at_the_field(store: Store, territory: str) -> None:
    service = AccountService(store)
    service.create(territory, FIELDS)
    with pytest.raises(ValidationError) as err:
        service.create(territory, {**FIELDS, "name": "另一家"})
    assert err.value.field == "code"
    assert err.value.code == "validation.duplicate_code"


def test_notes_are_append_only_entries(store: Store, territory: str) -> None:
    service = AccountService(store)
    account_id = service.create(territory, FIELDS)
    service.add_note(account_id, "第一次拜访")
    service.add_note(account_id, "第二次拜访")
    with pytest.raises(ValidationError):
        service.add_note(account_id, "   ")
    names = [e.name for e in _outbox(store)]
    assert names.count("note.add") == 2


def test_lunar_birthday_needs_month_and_day(store: Store, territory: str) -> None:
    service = AccountService(store)
    account_id = service.create(territory, FIELDS)
    with pytest.raises(ValidationError) as err:
        service.add_contact(account_id, {"name": "王伟", "birthday_lunar": True})
    assert err.value.field == "lunar_month"
    contact_id = service.add_contact(
        account_id, {"name": "王伟", "birthday_lunar": True, "lunar_month": 8, "lunar_day": 30}
    )
    assert contact_id
    with store.session() as session:
        account = session.get(Account, account_id)
        assert account is not None and "ww" in account.search_text  # contact pinyin indexed
