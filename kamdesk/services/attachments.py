"""Contract copies and photos, stored inside the encrypted database (never as loose files)."""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path

from sqlalchemy import select

from kamdesk.db.engine import Store
from kamdesk.db.models import Account, Attachment
from kamdesk.domain.enums import AttachmentKind
from kamdesk.errors import KamdeskError, NotFoundError
from kamdesk.ids import uuid7
from kamdesk.services.outbox import record_mutation

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024  # photos and scanned contracts; keeps sync light


class AttachmentError(KamdeskError):
    code = "attachment"


class AttachmentService:
    def __init__(self, store: Store, actor_id: str | None = None) -> None:
        self._store = store
        self._actor = actor_id

    def add_file(self, account_id: str, path: Path, kind: str | None = None) -> str:
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise AttachmentError(
                f"无法读取文件 {path.name} / Cannot read {path.name}: {exc.strerror}",
                code="attachment.unreadable",
            ) from exc
        self._check_size(path.name, size)
        return self.add_bytes(account_id, path.name, path.read_bytes(), kind)

    def add_bytes(
        self, account_id: str, filename: str, data: bytes, kind: str | None = None
    ) -> str:
        self._check_size(filename, len(data))
        if not data:
            raise AttachmentError(
                f"文件 {filename} 是空的 / {filename} is empty", code="attachment.empty"
            )
        mime = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        guessed = AttachmentKind.PHOTO if mime.startswith("image/") else AttachmentKind.CONTRACT
        chosen = kind or guessed.value
        if chosen not in {k.value for k in AttachmentKind}:
            raise AttachmentError(f"Unknown attachment kind {chosen}", code="attachment.kind")
        attachment_id = uuid7()
        digest = hashlib.sha256(data).hexdigest()
        name = filename[-200:]
        with self._store.session() as session:
            account = session.get(Account, account_id)
            if account is None or account.deleted:
                raise NotFoundError(f"No account {account_id}.", code="accounts.not_found")
            session.add(
                Attachment(
                    id=attachment_id,
                    account_id=account_id,
                    kind=chosen,
                    filename=name,
                    mime_type=mime,
                    size_bytes=len(data),
                    sha256=digest,
                    data=data,
                )
            )
            # the row travels with its data; the outbox names it without copying the bytes
            record_mutation(
                session,
                "attachment.insert",
                entity_table="attachment",
                entity_id=attachment_id,
                args={
                    "row": {
                        "account_id": account_id,
                        "kind": chosen,
                        "filename": name,
                        "mime_type": mime,
                        "size_bytes": len(data),
                        "sha256": digest,
                    }
                },
                actor=self._actor,
            )
        return attachment_id

    def data(self, attachment_id: str) -> tuple[str, bytes]:
        with self._store.session() as session:
            row = session.execute(
                select(Attachment.filename, Attachment.data).where(
                    Attachment.id == attachment_id, Attachment.deleted.is_(False)
                )
            ).first()
        if row is None:
            raise NotFoundError(f"No attachment {attachment_id}.", code="attachment.not_found")
        return str(row[0]), bytes(row[1])

    @staticmethod
    def _check_size(filename: str, size: int) -> None:
        if size > MAX_ATTACHMENT_BYTES:
            limit = MAX_ATTACHMENT_BYTES // (1024 * 1024)
            raise AttachmentError(
                f"{filename} 有 {size / 1048576:.1f} MB，附件最大 {limit} MB / "
                f"{filename} is {size / 1048576:.1f} MB; attachments are limited to {limit} MB",
                code="attachment.too_large",
            )
