"""Flush guards reach every session factory, including one born at a closed factory's address."""

from __future__ import annotations

import gc

from sqlalchemy.orm import Session, sessionmaker

from kamdesk.services import outbox, write_scope


def _before_flush(factory: sessionmaker[Session]) -> list[object]:
    with factory() as session:
        return list(session.dispatch.before_flush)


def test_every_new_factory_gets_both_guards() -> None:
    # sessionmaker listeners sit in a registry keyed by id(): with event.contains as the
    # "already installed?" check, a factory reusing a collected one's address got no guard
    for _ in range(20):
        factory: sessionmaker[Session] = sessionmaker()
        outbox.install_outbox_guard(factory)
        write_scope.install_write_scope_guard(factory)
        listeners = _before_flush(factory)
        assert outbox._guard in listeners
        assert write_scope._guard in listeners
        del factory, listeners
        gc.collect()


def test_installing_twice_attaches_once() -> None:
    factory: sessionmaker[Session] = sessionmaker()
    for _ in range(2):
        outbox.install_outbox_guard(factory)
        write_scope.install_write_scope_guard(factory)
    assert _before_flush(factory).count(outbox._guard) == 1
    assert _before_flush(factory).count(write_scope._guard) == 1
