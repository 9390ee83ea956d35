"""Account cards, contacts, notes and evaluations: every write validated and sent to the outbox."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kamdesk.db.engine import Store
from kamdesk.db.models import Account, AccountNote, Contact, Evaluation
from kamdesk.domain.fields import (
    ACCOUNT_FIELDS,
    COMMENT_MAX_LEN,
    CONTACT_FIELDS,
    NOTE_MAX_LEN,
    clean_fields,
    clean_text,
)
from kamdesk.domain.search_text import build_search_text
from kamdesk.errors import NotFoundError, ValidationError
from kamdesk.ids import uuid7
from kamdesk.services.outbox import record_mutation

SCORE_FIELDS = (
    "enthusiasm",
    "flexibility",
    "distribution_reach",
    "capital_strength",
    "brands_held",
    "logistics",
    "credit",
    "social_relations",
    "potential",
)


def account_search_text(session: Session, account: Account) -> str:
    # no autoflush: the caller records its mutation after computing this
    with session.no_autoflush:
        contacts = session.scalars(
            select(Contact).where(Contact.account_id == account.id, Contact.deleted.is_(False))
        ).all()
    parts: list[str | None] = [
        account.name,
        account.code,
        account.licence_no,
        account.address,
        account.owner_name,
        account.phone,
    ]
    for contact in contacts:
        parts.extend((contact.name, contact.phone))
    return build_search_text(parts)


class AccountService:
    def __init__(self, store: Store, actor_id: str | None = None) -> None:
        self._store = store
        self._actor = actor_id

    # -- account cards -------------------------------------------------------------------
    def create(self, territory_id: str, fields: Mapping[str, Any]) -> str:
        cleaned = clean_fields(ACCOUNT_FIELDS, fields, creating=True)
        with self._store.session() as session:
            return create_account_in(session, territory_id, cleaned, self._actor)

    def update_fields(self, account_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Apply a validated partial edit; returns the fields that actually changed."""
        cleaned = clean_fields(ACCOUNT_FIELDS, changes)
        with self._store.session() as session:
            account = self._get(session, account_id)
            return update_account_in(session, account, cleaned, self._actor)

    def delete(self, account_id: str) -> None:
        with self._store.session() as session:
            account = self._get(session, account_id)
            account.deleted = True
            record_mutation(
                session,
                "account.delete",
                entity_table="account",
                entity_id=account_id,
                args={},
                base={"_row": account.srv_seq},
                actor=self._actor,
            )

    def undelete(self, account_id: str) -> None:
        with self._store.session() as session:
            account = session.get(Account, account_id)
            if account is None:
                raise NotFoundError(f"No account {account_id}.")
            account.deleted = False
            record_mutation(
                session,
                "account.undelete",
                entity_table="account",
                entity_id=account_id,
                args={},
                actor=self._actor,
            )

    # -- notes (append-only) ------------------------------------------------------------
    def add_note(self, account_id: str, body: str) -> str:
        text = clean_text(
            "body", "备注", "Note", body.strip() if isinstance(body, str) else body, NOTE_MAX_LEN
        )
        if not text:
            raise ValidationError(
                "备注不能为空 / A note cannot be empty", field="body", code="validation.required"
            )
        note_id = uuid7()
        with self._store.session() as session:
            self._get(session, account_id)
            session.add(
                AccountNote(id=note_id, account_id=account_id, author_id=self._actor, body=text)
            )
            record_mutation(
                session,
                "note.add",
                entity_table="account_note",
                entity_id=note_id,
                args={"account_id": account_id, "body": text},
                actor=self._actor,
            )
        return note_id

    # -- contacts ------------------------------------------------------------------------
    def add_contact(self, account_id: str, fields: Mapping[str, Any]) -> str:
        cleaned = _check_lunar(clean_fields(CONTACT_FIELDS, fields, creating=True))
        contact_id = uuid7()
        with self._store.session() as session:
            account = self._get(session, account_id)
            contact = Contact(id=contact_id, account_id=account_id, **cleaned)
            contact.field_seq = {}
            session.add(contact)
            record_mutation(
                session,
                "contact.create",
                entity_table="contact",
                entity_id=contact_id,
                args={"account_id": account_id, "fields": cleaned},
                covers=[("account", account_id)],
                actor=self._actor,
            )
            session.flush()  # the new contact's name joins the account's search keys
            account.search_text = account_search_text(session, account)
        return contact_id

    def update_contact(self, contact_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
        cleaned = clean_fields(CONTACT_FIELDS, changes)
        with self._store.session() as session:
            contact = session.get(Contact, contact_id)
            if contact is None or contact.deleted:
                raise NotFoundError(f"No contact {contact_id}.")
            current = {k: getattr(contact, k) for k in CONTACT_FIELDS}
            _check_lunar({**current, **cleaned})
            changed = {k: v for k, v in cleaned.items() if current[k] != v}
            if not changed:
                return {}
            base = {k: int(contact.field_seq.get(k, contact.srv_seq)) for k in changed}
            record_mutation(
                session,
                "contact.update_fields",
                entity_table="contact",
                entity_id=contact_id,
                args={"fields": changed},
                base=base,
                covers=[("account", contact.account_id)],
                actor=self._actor,
            )
            for name, value in changed.items():
                setattr(contact, name, value)
            account = self._get(session, contact.account_id)
            session.flush()  # the edited contact joins the account's search keys
            account.search_text = account_search_text(session, account)
        return changed

    # -- evaluations (insert-only history) ----------------------------------------------
    def add_evaluation(
        self, account_id: str, evaluated_on: date, scores: Mapping[str, int], comment: str = ""
    ) -> str:
        missing = [f for f in SCORE_FIELDS if f not in scores]
        if missing:
            raise ValidationError(f"Missing score(s): {', '.join(missing)}", field=missing[0])
        for name in SCORE_FIELDS:
            value = scores[name]
            if not isinstance(value, int) or not 1 <= value <= 5:
                raise ValidationError(
                    f"评分须为1-5 / Score {name} must be 1-5", field=name, code="validation.score"
                )
        comment = clean_text("comment", "评语", "Comment", comment, COMMENT_MAX_LEN)
        evaluation_id = uuid7()
        with self._store.session() as session:
            self._get(session, account_id)
            session.add(
                Evaluation(
                    id=evaluation_id,
                    account_id=account_id,
                    evaluated_on=evaluated_on,
                    evaluator_id=self._actor,
                    comment=comment,
                    **{k: scores[k] for k in SCORE_FIELDS},
                )
            )
            record_mutation(
                session,
                "evaluation.add",
                entity_table="evaluation",
                entity_id=evaluation_id,
                args={
                    "account_id": account_id,
                    "evaluated_on": evaluated_on,
                    "scores": dict(scores),
                    "comment": comment,
                },
                actor=self._actor,
            )
        return evaluation_id

    # -- helpers ---------------------------------------------------------------------------
    @staticmethod
    def _get(session: Session, account_id: str) -> Account:
        account = session.get(Account, account_id)
        if account is None or account.deleted:
            raise NotFoundError(f"No account {account_id}.")
        return account

    @staticmethod
    def _ensure_unique_code(session: Session, code: str, own_id: str | None) -> None:
        clash = session.scalar(
            select(Account.id).where(
                Account.code == code, Account.deleted.is_(False), Account.id != (own_id or "")
            )
        )
        if clash is not None:
            raise ValidationError(
                f"客户编码 {code} 已被使用 / Account code {code} is already used",
                field="code",
                code="validation.duplicate_code",
            )


def create_account_in(
    session: Session, territory_id: str, cleaned: dict[str, Any], actor: str | None
) -> str:
    """Add a validated account inside the caller's transaction (with its outbox row)."""
    account_id = uuid7()
    AccountService._ensure_unique_code(session, cleaned["code"], None)
    account = Account(id=account_id, territory_id=territory_id, manager_id=actor, **cleaned)
    account.field_seq = {}
    session.add(account)
    account.search_text = account_search_text(session, account)
    record_mutation(
        session,
        "account.create",
        entity_table="account",
        entity_id=account_id,
        args={"territory_id": territory_id, "fields": cleaned},
        actor=actor,
    )
    return account_id


def update_account_in(
    session: Session, account: Account, cleaned: dict[str, Any], actor: str | None
) -> dict[str, Any]:
    """Apply validated changes inside the caller's transaction; returns what changed."""
    changed = {k: v for k, v in cleaned.items() if getattr(account, k) != v}
    if not changed:
        return {}
    if "code" in changed:
        AccountService._ensure_unique_code(session, changed["code"], account.id)
    base = {k: int(account.field_seq.get(k, account.srv_seq)) for k in changed}
    for name, value in changed.items():
        setattr(account, name, value)
    account.search_text = account_search_text(session, account)
    record_mutation(
        session,
        "account.update_fields",
        entity_table="account",
        entity_id=account.id,
        args={"fields": changed},
        base=base,
        actor=actor,
    )
    return changed


def _check_lunar(fields: dict[str, Any]) -> dict[str, Any]:
    if fields.get("birthday_lunar") and not (fields.get("lunar_month") and fields.get("lunar_day")):
        raise ValidationError(
            "农历生日需填写农历月和日 / A lunar birthday needs the lunar month and day",
            field="lunar_month",
            code="validation.lunar_birthday",
        )
    return fields
