"""Shared pieces of the bad-input fuzz tests: hostile text and a fingerprint of the store."""

from __future__ import annotations

import hashlib

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from kamdesk.db.engine import Store
from kamdesk.db.models import (
    Account,
    AccountNote,
    AuditEntry,
    Contact,
    Evaluation,
    OutboxEntry,
    Reminder,
    Visit,
)

# Deterministic (CI runs the same examples every time); the store fixture is shared by the
# examples of one test on purpose (each example compares before/after itself).
_BASE = settings(
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


def fuzz(max_examples: int) -> settings:
    """The fuzz tests' settings with a CI-sized number of examples."""
    return settings(_BASE, max_examples=max_examples)


NASTY: tuple[str, ...] = (
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "'; DROP TABLE account; --",
    '" OR 1=1 --',
    "100%_\\店",
    "%",
    "_",
    "\\",
    "\\%\\_",
    "NaN",
    "inf",
    "-inf",
    "1e400",
    "9" * 40,
    "\u202e\u0644\u0627\u202c RTL",
    "\u200f\u200e\u200b\ufeff",
    "👨‍👩‍👧‍👦🚬🍶",
    "a\r\nb\rc\nd",
    "\t tab \t",
    "宏兴烟酒，店;地址、路/号",
    "\x00",
    "nul\x00inside",
    "bell\x07",
    "esc\x1b[31m",
    "del\x7f",
    "lone \ud800 surrogate",
    "\udfff",
    "长" * 10_000,
    "x" * 10_000,
)

# any code point, lone surrogates and control characters included
ANY_CHAR = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())
HOSTILE_TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(ANY_CHAR, max_size=40),
    st.text(st.sampled_from("店烟酒路号 ,;\"'\\%_\n\r\t=+-@"), max_size=30),
)
# text a person could type: letters (CJK and Latin), digits, punctuation, spaces
TYPED_TEXT = st.text(
    st.characters(
        categories=("L", "N", "P", "S", "Zs"),
        exclude_characters="\u2028\u2029",
        max_codepoint=0xFFFF,
    ),
    max_size=60,
)


def fingerprint(store: Store) -> tuple[str | int, ...]:
    """A checksum of every account row plus the row counts that an import or edit touches."""
    with store.session() as session:
        rows = session.execute(select(Account.__table__).order_by(Account.id)).all()
        digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode("utf-8")).hexdigest()

        def count(model: type) -> int:
            return int(session.scalar(select(func.count()).select_from(model)) or 0)

        return (
            digest,
            len(rows),
            count(OutboxEntry),
            count(AuditEntry),
            count(Contact),
            count(AccountNote),
            count(Evaluation),
            count(Visit),
            count(Reminder),
        )
